import { randomUUID } from "node:crypto";
import { LabError } from "../../../services/platform/errors.ts";
import { createKafkaClient } from "../../../services/platform/kafka-client.ts";
import type { Logger } from "../../../services/platform/logger.ts";
import { subscribeToRecords } from "../../../services/platform/kafka-record-subscription.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";

/** One Kafka record as text, as an auditor with read access to the topic sees it. */
export interface TopicRecordText {
  topic: string;
  partition: number;
  offset: string;
  /** Key, value and headers decoded as UTF-8, in one string a text search can run over. */
  text: string;
}

const READ_TIMEOUT_MS = 60_000;

/**
 * Every record Kafka still keeps on `topics`, from the oldest to the end they had when the call
 * began, undecoded: the erasure scan looks for a string in whatever a topic holds (a checkout
 * message, a change event), so it must not depend on a decoder that could reject a record. A
 * topic that does not exist holds nothing.
 */
export async function readTopicText(brokers: string[], logger: Logger, topics: readonly string[]): Promise<TopicRecordText[]> {
  const kafka = createKafkaClient({ brokers, logger, clientId: "cdc-es-lab-erasure-scan" });
  const ends = new Map<string, { low: bigint; high: bigint }>();
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    for (const topic of topics.filter((candidate) => existing.has(candidate))) {
      for (const partition of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(partition.high) > BigInt(partition.low)) ends.set(`${topic}/${partition.partition}`, { low: BigInt(partition.low), high: BigInt(partition.high) });
      }
    }
  } finally {
    await admin.disconnect();
  }
  if (ends.size === 0) return [];

  const records: TopicRecordText[] = [];
  const reached = new Set<string>();
  const subscription = await subscribeToRecords(
    kafka,
    { groupId: `cdc-es-lab-erasure-scan-${randomUUID()}`, topics: [...new Set([...ends.keys()].map((key) => key.slice(0, key.lastIndexOf("/"))))], fromBeginning: true, component: "erasure scan" },
    async (record, position) => {
      const key = `${position.topic}/${position.partition}`;
      const end = ends.get(key);
      if (end === undefined) return;
      const offset = BigInt(position.offset);
      if (offset < end.high) {
        const headers = Object.entries(record.headers).map(([name, value]) => `${name}=${String(value)}`);
        records.push({ ...position, text: [record.key?.toString("utf8") ?? "", record.value?.toString("utf8") ?? "", ...headers].join("\n") });
      }
      // Compaction may have removed the record at high - 1: any offset at or past it ends the partition.
      if (offset >= end.high - 1n) reached.add(key);
    },
    logger,
  );
  let stopped: LabError | null = null;
  void subscription.ended.then((error) => {
    stopped = error;
  });
  try {
    await waitFor(async () => {
      // A reader that stopped on an error will not reach the end: say why now, not at the timeout.
      if (stopped !== null) throw new LabError(stopped.code, `the erasure scan's reader stopped: ${stopped.message}`, { cause: stopped });
      return reached.size === ends.size ? true : undefined;
    }, {
      what: `${topics.join(", ")} read to their end`,
      timeoutMs: READ_TIMEOUT_MS,
      intervalMs: 100,
      onTimeout: () => ({ partitionsNotReached: [...ends.keys()].filter((key) => !reached.has(key)) }),
    });
  } finally {
    await subscription.stop();
  }
  return records;
}
