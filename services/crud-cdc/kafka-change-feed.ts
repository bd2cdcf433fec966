import { randomUUID } from "node:crypto";
import type { Kafka } from "kafkajs";
import { LabError } from "../platform/errors.ts";
import { subscribeToRecords } from "../platform/kafka-record-subscription.ts";
import { createKafkaClient } from "../platform/kafka-client.ts";
import type { Logger } from "../platform/logger.ts";
import { decodeChangeRecord, decodeTransactionRecord } from "./change-envelope.ts";
import type { ChangeEvent, TransactionBoundary } from "./change-event.ts";
import type { ChangeFeed, ChangeHandler, ChangeSubscription, ChangeSubscriptionOptions } from "./change-feed.ts";

export interface KafkaChangeFeedDeps {
  brokers: string[];
  logger: Logger;
  clientId?: string;
}

/** The `ChangeFeed` over kafkajs. kafkajs types stay in this file. */
export function createKafkaChangeFeed(deps: KafkaChangeFeedDeps): ChangeFeed {
  const kafka = createKafkaClient({ brokers: deps.brokers, logger: deps.logger, clientId: deps.clientId ?? "cdc-es-lab" });
  return {
    subscribe: (options, handler) => subscribe(kafka, options, handler, deps.logger),
    readToEnd: (topics) => readToEnd(kafka, topics, deps.logger),
  };
}

/**
 * A feed of change events and of Debezium's transaction boundaries (BEGIN/END) together, in the
 * order they arrive, for a consumer that applies whole transactions. The change feed proper
 * stays as it is: its consumers never see a boundary.
 */
export interface TransactionAwareSubscriptionOptions extends ChangeSubscriptionOptions {
  /** The topics among `topics` whose records are transaction boundaries (`CdcTopics.transactions`). */
  transactionTopics: string[];
}

export type TransactionAwareHandler = (item: ChangeEvent | TransactionBoundary) => Promise<void>;

export interface TransactionAwareFeed {
  subscribe(options: TransactionAwareSubscriptionOptions, handler: TransactionAwareHandler): Promise<ChangeSubscription>;
}

/** The transaction-aware feed over kafkajs; like the change feed, at least once, poison records stop it. */
export function createKafkaTransactionAwareFeed(deps: KafkaChangeFeedDeps): TransactionAwareFeed {
  const kafka = createKafkaClient({ brokers: deps.brokers, logger: deps.logger, clientId: deps.clientId ?? "cdc-es-lab" });
  return {
    subscribe: (options, handler) => {
      const boundaryTopics = new Set(options.transactionTopics);
      return subscribeToRecords(
        kafka,
        { groupId: options.groupId, topics: options.topics, fromBeginning: options.fromBeginning, component: "transaction-aware change feed" },
        (record, position) => handler(boundaryTopics.has(position.topic) ? decodeTransactionRecord(record, position) : decodeChangeRecord(record, position)),
        deps.logger,
      );
    },
  };
}

const READ_TO_END_TIMEOUT_MS = 120_000;

async function readToEnd(kafka: Kafka, topics: string[], logger: Logger): Promise<ChangeEvent[]> {
  const admin = kafka.admin();
  const ends = new Map<string, bigint>();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    for (const topic of topics.filter((candidate) => existing.has(candidate))) {
      for (const partition of await admin.fetchTopicOffsets(topic)) {
        // high is the offset the next record will get; low is the oldest still kept.
        if (BigInt(partition.high) > BigInt(partition.low)) ends.set(`${topic}/${partition.partition}`, BigInt(partition.high));
      }
    }
  } finally {
    await admin.disconnect();
  }
  if (ends.size === 0) return [];

  const events: ChangeEvent[] = [];
  const remaining = new Set(ends.keys());
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const reached = (key: string) => {
    remaining.delete(key);
    if (remaining.size === 0) finish();
  };
  const groupId = `cdc-es-lab-history-${randomUUID()}`;
  const subscription = await subscribe(
    kafka,
    { groupId, topics: [...new Set([...ends.keys()].map((key) => key.slice(0, key.lastIndexOf("/"))))], fromBeginning: true },
    async (event) => {
      const key = `${event.position.topic}/${event.position.partition}`;
      const end = ends.get(key);
      if (end === undefined) return;
      const offset = BigInt(event.position.offset);
      if (offset < end) events.push(event);
      // Compaction may have removed the record at end - 1 in favour of a later one: any offset
      // at or past it means the partition was read to where it ended.
      if (offset >= end - 1n) reached(key);
    },
    logger,
  );
  // Retention may delete the end's segment while we read (the short-retention variant): a
  // partition whose oldest kept offset moved to or past its end has nothing more to give.
  const watcher = kafka.admin();
  await watcher.connect();
  let checking = false;
  const deletionCheck = setInterval(() => {
    if (checking || remaining.size === 0) return;
    checking = true;
    void (async () => {
      for (const topic of new Set([...remaining].map((key) => key.slice(0, key.lastIndexOf("/"))))) {
        for (const partition of await watcher.fetchTopicOffsets(topic)) {
          const key = `${topic}/${partition.partition}`;
          const end = ends.get(key);
          if (end !== undefined && remaining.has(key) && BigInt(partition.low) >= end) reached(key);
        }
      }
    })()
      .catch((error: unknown) => logger.debug({ err: error }, "offset check failed; the next one retries"))
      .finally(() => {
        checking = false;
      });
  }, 500);
  // Bounded: an end offset held by a record the consumer never sees (a transaction marker)
  // must not hang the caller.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<LabError>((resolve) => {
    timer = setTimeout(
      () => resolve(new LabError("Timeout", `reading ${topics.join(", ")} to their end took over ${READ_TO_END_TIMEOUT_MS} ms; still missing ${[...remaining].join(", ")}`, { retriable: true })),
      READ_TO_END_TIMEOUT_MS,
    );
  });
  try {
    const failure = await Promise.race([done.then(() => null), subscription.ended, timeout]);
    if (failure !== null) throw failure;
    return events;
  } finally {
    clearTimeout(timer);
    clearInterval(deletionCheck);
    await watcher.disconnect();
    await subscription.stop();
  }
}

function subscribe(kafka: Kafka, options: ChangeSubscriptionOptions, handler: ChangeHandler, logger: Logger): Promise<ChangeSubscription> {
  return subscribeToRecords(kafka, { ...options, component: "change feed" }, (record, position) => handler(decodeChangeRecord(record, position)), logger);
}
