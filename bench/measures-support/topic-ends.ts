import { LabError, describeError } from "../../services/platform/errors.ts";
import { createKafkaClient } from "../../services/platform/kafka-client.ts";
import type { Logger } from "../../services/platform/logger.ts";

/**
 * How many records the broker has acknowledged on a topic: the sum of its partitions' high
 * watermarks, the offset the next record will get. Reading it costs one metadata request, not a
 * read of the records, so a benchmark can watch a topic fill without consuming it. kafkajs stays
 * in this file.
 */
export interface TopicEnds {
  /** 0 for a topic that does not exist yet (Connect creates it with the first record). */
  recordsWritten(topic: string): Promise<number>;
  close(): Promise<void>;
}

export async function connectTopicEnds(brokers: string[], logger: Logger): Promise<TopicEnds> {
  const admin = createKafkaClient({ brokers, logger, clientId: "cdc-es-lab-bench-topic-ends" }).admin();
  const fail = (what: string, error: unknown) => new LabError("ComponentFailed", `Kafka could not ${what}: ${describeError(error)}`, { cause: error, retriable: true, details: { component: "kafka" } });
  try {
    await admin.connect();
  } catch (error) {
    throw fail("accept an admin connection", error);
  }
  // A topic once seen stays: the list is asked for only until it appears.
  const existing = new Set<string>();
  return {
    async recordsWritten(topic) {
      try {
        if (!existing.has(topic)) {
          if (!(await admin.listTopics()).includes(topic)) return 0;
          existing.add(topic);
        }
        const partitions = await admin.fetchTopicOffsets(topic);
        return partitions.reduce((sum, partition) => sum + Number(partition.high), 0);
      } catch (error) {
        throw fail(`give the end offsets of ${topic}`, error);
      }
    },
    close: () => admin.disconnect(),
  };
}
