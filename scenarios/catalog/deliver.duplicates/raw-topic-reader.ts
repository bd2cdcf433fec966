import { randomUUID } from "node:crypto";
import type { Kafka } from "kafkajs";
import { createKafkaClient } from "../../../services/platform/kafka-client.ts";
import type { Logger } from "../../../services/platform/logger.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";

/**
 * Reads a topic's records as bytes, with their broker timestamps: Connect's offsets topic (JSON
 * that is no change event) and the journal's checkout topic, counted record by record. The
 * change feed decodes Debezium envelopes and the checkout feed commits as it goes; this scenario
 * needs neither, only every record once. kafkajs types stay in this file.
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

const READ_TIMEOUT_MS = 60_000;
const ENDS_CHECK_INTERVAL_MS = 1_000;

export function createKafkaRawTopicReader(deps: { brokers: string[]; logger: Logger }): RawTopicReader {
  const kafka = createKafkaClient({ brokers: deps.brokers, logger: deps.logger, clientId: "cdc-es-lab-deliver-duplicates" });
  return {
    readToEnd: (topic) => readToEnd(kafka, topic),
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

async function readToEnd(kafka: Kafka, topic: string): Promise<RawTopicRecord[]> {
  const ends = await partitionEnds(kafka, topic);
  const remaining = new Set([...ends].filter(([, { low, high }]) => high > low).map(([partition]) => partition));
  if (remaining.size === 0) return [];
  const records: RawTopicRecord[] = [];
  const consumer = kafka.consumer({ groupId: `cdc-es-lab-raw-${randomUUID()}` });
  let lastEndsCheck = Date.now();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const end = ends.get(partition)?.high;
        if (end === undefined) return;
        const offset = BigInt(message.offset);
        if (offset < end) {
          records.push({
            partition,
            offset: message.offset,
            timestamp: Number(message.timestamp),
            key: message.key?.toString("utf8") ?? null,
            value: message.value?.toString("utf8") ?? null,
            headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, Array.isArray(value) ? value.join(",") : (value?.toString() ?? "")])),
          });
        }
        // A compacted topic may have dropped the record at end - 1: any offset at or past it ends the partition.
        if (offset >= end - 1n) remaining.delete(partition);
      },
    });
    await waitFor(
      async () => {
        if (remaining.size === 0) return true;
        // Compaction or retention may have removed a partition's last records meanwhile; asked
        // of the broker once a second, not on every probe.
        if (Date.now() - lastEndsCheck < ENDS_CHECK_INTERVAL_MS) return undefined;
        lastEndsCheck = Date.now();
        const now = await partitionEnds(kafka, topic);
        for (const partition of [...remaining]) {
          const low = now.get(partition)?.low;
          const end = ends.get(partition)?.high;
          if (low !== undefined && end !== undefined && low >= end) remaining.delete(partition);
        }
        return remaining.size === 0 ? true : undefined;
      },
      { what: `${topic} read to its end`, timeoutMs: READ_TIMEOUT_MS, intervalMs: 100 },
    );
    return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  } finally {
    await consumer.disconnect();
  }
}
