import { LabError, describeError } from "../platform/errors.ts";
import { createKafkaClient } from "../platform/kafka-client.ts";
import type { Logger } from "../platform/logger.ts";

/** The broker's topics and consumer groups, as the lab's cleanup needs them. kafkajs stays in this file. */
export interface KafkaAdmin {
  listTopics(): Promise<string[]>;
  deleteTopics(topics: string[]): Promise<void>;
  listGroups(): Promise<string[]>;
  deleteGroups(groups: string[]): Promise<void>;
  close(): Promise<void>;
}

export async function connectKafkaAdmin(brokers: string[], logger: Logger): Promise<KafkaAdmin> {
  const admin = createKafkaClient({ brokers, logger, clientId: "cdc-es-lab-admin" }).admin();
  const fail = (what: string, error: unknown) => new LabError("ComponentFailed", `Kafka could not ${what}: ${describeError(error)}`, { cause: error, retriable: true, details: { component: "kafka" } });
  try {
    await admin.connect();
  } catch (error) {
    throw fail("accept an admin connection", error);
  }
  return {
    listTopics: () => admin.listTopics().catch((error: unknown) => Promise.reject(fail("list topics", error))),
    async deleteTopics(topics) {
      if (topics.length > 0) await admin.deleteTopics({ topics }).catch((error: unknown) => Promise.reject(fail(`delete topics ${topics.join(", ")}`, error)));
    },
    listGroups: async () => (await admin.listGroups().catch((error: unknown) => Promise.reject(fail("list consumer groups", error)))).groups.map((group) => group.groupId),
    async deleteGroups(groups) {
      if (groups.length > 0) await admin.deleteGroups(groups).catch((error: unknown) => Promise.reject(fail(`delete consumer groups ${groups.join(", ")}`, error)));
    },
    close: () => admin.disconnect(),
  };
}
