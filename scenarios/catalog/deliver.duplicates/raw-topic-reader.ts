import type { Kafka } from "kafkajs";
import { createKafkaClient } from "../../../services/platform/kafka-client.ts";
import type { Logger } from "../../../services/platform/logger.ts";
import { readRecordsToEnd } from "../../../services/platform/read-records-to-end.ts";

/**
 * Reads a topic's records as bytes, with their broker timestamps: Connect's offsets topic (JSON
 * that is no change event) and the journal's checkout topic, counted record by record. The
 * change feed decodes Debezium envelopes and the checkout feed commits as it goes; this scenario
 * needs neither, only every record once (services/platform/read-records-to-end.ts reads them).
 */
export interface RawTopicRecord {
  partition: number;
  offset: string;
  /** When the producer wrote it (the record's CreateTime), epoch ms. */
  timestamp: number;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

export interface RawTopicReader {
  /** Every record the topic holds up to its end when the call began; [] for a topic that does not exist. */
  readToEnd(topic: string): Promise<RawTopicRecord[]>;
  /** How many records the topic's partitions hold (end minus start offsets); 0 when it does not exist. */
  recordCount(topic: string): Promise<number>;
}

export function createKafkaRawTopicReader(deps: { brokers: string[]; logger: Logger }): RawTopicReader {
  const kafka = createKafkaClient({ brokers: deps.brokers, logger: deps.logger, clientId: "cdc-es-lab-deliver-duplicates" });
  return {
    readToEnd: (topic) => readToEnd(kafka, topic, deps.logger),
    async recordCount(topic) {
      const ends = await partitionEnds(kafka, topic);
      return [...ends.values()].reduce((sum, { low, high }) => sum + Number(high - low), 0);
    },
  };
}

async function partitionEnds(kafka: Kafka, topic: string): Promise<Map<number, { low: bigint; high: bigint }>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) return new Map();
    return new Map((await admin.fetchTopicOffsets(topic)).map((entry) => [entry.partition, { low: BigInt(entry.low), high: BigInt(entry.high) }] as const));
  } finally {
    await admin.disconnect();
  }
}

async function readToEnd(kafka: Kafka, topic: string, logger: Logger): Promise<RawTopicRecord[]> {
  return (await readRecordsToEnd(kafka, [topic], logger, "raw topic reader")).map(({ record, position }) => ({
    partition: position.partition,
    offset: position.offset,
    timestamp: record.timestamp,
    key: record.key?.toString("utf8") ?? null,
    value: record.value?.toString("utf8") ?? null,
    headers: Object.fromEntries(Object.entries(record.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(",") : (value?.toString() ?? "")])),
  }));
}
