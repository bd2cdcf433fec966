import { randomUUID } from "node:crypto";
import type { Kafka } from "kafkajs";
import { LabError, describeError } from "./errors.ts";
import { subscribeToRecords } from "./kafka-record-subscription.ts";
import type { RawRecord, RecordPosition } from "./kafka-record-subscription.ts";
import type { Logger } from "./logger.ts";

/**
 * Every record Kafka still keeps on `topics`, from the oldest to the end each partition had when
 * the call began, undecoded: how the CDC design reads its history, how the erasure scan searches
 * the topics and how Connect's offsets are read. One reader for all of them, so the end
 * conditions below are written once:
 * - compaction may have removed the record at end - 1: any offset at or past it ends the partition;
 * - retention may delete the end's segment while reading: a partition whose oldest kept offset
 *   moved to or past its end has nothing more to give;
 * - bounded: an end held by a record the consumer never sees (a transaction marker) must not
 *   hang the caller.
 * The throw-away consumer group is deleted afterwards, so reads leave no groups behind.
 * A topic that does not exist holds nothing.
 */
export interface RecordAtPosition {
  record: RawRecord;
  position: RecordPosition;
}

const READ_TO_END_TIMEOUT_MS = 120_000;
const RETENTION_CHECK_MS = 500;

export async function readRecordsToEnd(kafka: Kafka, topics: readonly string[], logger: Logger, component: string): Promise<RecordAtPosition[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = new Map<string, bigint>();
    const existing = new Set(await admin.listTopics());
    for (const topic of topics.filter((candidate) => existing.has(candidate))) {
      for (const partition of await admin.fetchTopicOffsets(topic)) {
        // high is the offset the next record will get; low is the oldest still kept.
        if (BigInt(partition.high) > BigInt(partition.low)) ends.set(`${topic}/${partition.partition}`, BigInt(partition.high));
      }
    }
    if (ends.size === 0) return [];
    const groupId = `cdc-es-lab-read-${randomUUID()}`;
    try {
      return await readUntil(kafka, admin, ends, groupId, logger, component);
    } finally {
      await admin.deleteGroups([groupId]).catch((error: unknown) => logger.debug({ groupId, err: describeError(error) }, "a read's consumer group was not deleted; it expires with the broker's retention"));
    }
  } finally {
    await admin.disconnect();
  }
}

async function readUntil(kafka: Kafka, admin: ReturnType<Kafka["admin"]>, ends: ReadonlyMap<string, bigint>, groupId: string, logger: Logger, component: string): Promise<RecordAtPosition[]> {
  const records: RecordAtPosition[] = [];
  const remaining = new Set(ends.keys());
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const reached = (key: string) => {
    remaining.delete(key);
    if (remaining.size === 0) finish();
  };
  const subscription = await subscribeToRecords(
    kafka,
    { groupId, topics: [...new Set([...ends.keys()].map((key) => key.slice(0, key.lastIndexOf("/"))))], fromBeginning: true, component },
    async (record, position) => {
      const key = `${position.topic}/${position.partition}`;
      const end = ends.get(key);
      if (end === undefined) return;
      const offset = BigInt(position.offset);
      if (offset < end) records.push({ record, position });
      if (offset >= end - 1n) reached(key);
    },
    logger,
  );
  let checking = false;
  const retentionCheck = setInterval(() => {
    if (checking || remaining.size === 0) return;
    checking = true;
    void (async () => {
      for (const topic of new Set([...remaining].map((key) => key.slice(0, key.lastIndexOf("/"))))) {
        for (const partition of await admin.fetchTopicOffsets(topic)) {
          const key = `${topic}/${partition.partition}`;
          const end = ends.get(key);
          if (end !== undefined && remaining.has(key) && BigInt(partition.low) >= end) reached(key);
        }
      }
    })()
      .catch((error: unknown) => logger.debug({ err: describeError(error) }, "offset check failed; the next one retries"))
      .finally(() => {
        checking = false;
      });
  }, RETENTION_CHECK_MS);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<LabError>((resolve) => {
    timer = setTimeout(
      () => resolve(new LabError("Timeout", `reading ${[...ends.keys()].join(", ")} to their end took over ${READ_TO_END_TIMEOUT_MS} ms; still missing ${[...remaining].join(", ")}`, { retriable: true })),
      READ_TO_END_TIMEOUT_MS,
    );
  });
  try {
    const failure = await Promise.race([done.then(() => null), subscription.ended, timeout]);
    if (failure !== null) throw failure;
    // In order within each partition, partitions one after another: as a reader of the log expects.
    return records.sort((a, b) => a.position.topic.localeCompare(b.position.topic) || a.position.partition - b.position.partition || Number(BigInt(a.position.offset) - BigInt(b.position.offset)));
  } finally {
    clearTimeout(timer);
    clearInterval(retentionCheck);
    await subscription.stop();
  }
}
