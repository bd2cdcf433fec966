import { logLevel } from "kafkajs";
import { LabError, describeError } from "../platform/errors.ts";
import { createKafkaClient } from "../platform/kafka-client.ts";
import type { Logger } from "../platform/logger.ts";

export interface KafkaFacts {
  clusterId: string;
  brokers: number;
}

/** The broker answers a metadata request: the readiness check the brief asks for. */
export async function probeKafka(brokers: string[], logger: Logger): Promise<KafkaFacts> {
  const kafka = createKafkaClient({
    brokers,
    logger,
    clientId: "cdc-es-lab-probe",
    // A probe is expected to fail while the broker starts; its thrown error says enough.
    overrides: { connectionTimeout: 3_000, requestTimeout: 5_000, retry: { retries: 0 }, logLevel: logLevel.NOTHING },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return { clusterId: cluster.clusterId, brokers: cluster.brokers.length };
  } catch (error) {
    throw new LabError("ComponentFailed", `Kafka at ${brokers.join(",")} did not answer metadata: ${describeError(error)}`, {
      cause: error,
      retriable: true,
      details: { component: "kafka", brokers },
    });
  } finally {
    await admin.disconnect();
  }
}
