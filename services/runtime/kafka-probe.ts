import { Kafka, logLevel } from "kafkajs";
import { LabError, describeError } from "../platform/errors.ts";
import { kafkajsLogCreator } from "../platform/kafkajs-logging.ts";
import type { Logger } from "../platform/logger.ts";

export interface KafkaFacts {
  clusterId: string;
  brokers: number;
}

/** The broker answers a metadata request: the readiness check the brief asks for. */
export async function probeKafka(brokers: string[], logger: Logger): Promise<KafkaFacts> {
  const kafka = new Kafka({
    clientId: "cdc-es-lab-probe",
    brokers,
    connectionTimeout: 3_000,
    requestTimeout: 5_000,
    retry: { retries: 0 },
    // A probe is expected to fail while the broker starts; its thrown error says enough.
    logLevel: logLevel.NOTHING,
    logCreator: kafkajsLogCreator(logger),
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
