import { randomUUID } from "node:crypto";
import { Kafka } from "kafkajs";
import { LabError } from "../platform/errors.ts";
import { subscribeToRecords } from "../platform/kafka-record-subscription.ts";
import { KAFKAJS_LOG_LEVEL, kafkajsLogCreator } from "../platform/kafkajs-logging.ts";
import type { Logger } from "../platform/logger.ts";
import { decodeChangeRecord } from "./change-envelope.ts";
import type { ChangeEvent } from "./change-event.ts";
import type { ChangeFeed, ChangeHandler, ChangeSubscription, ChangeSubscriptionOptions } from "./change-feed.ts";

export interface KafkaChangeFeedDeps {
  brokers: string[];
  logger: Logger;
  clientId?: string;
}

/** The `ChangeFeed` over kafkajs. kafkajs types stay in this file. */
export function createKafkaChangeFeed(deps: KafkaChangeFeedDeps): ChangeFeed {
  const kafka = new Kafka({
    clientId: deps.clientId ?? "cdc-es-lab",
    brokers: deps.brokers,
    logLevel: KAFKAJS_LOG_LEVEL,
    logCreator: kafkajsLogCreator(deps.logger),
  });
  return {
    subscribe: (options, handler) => subscribe(kafka, options, handler, deps.logger),
    readToEnd: (topics) => readToEnd(kafka, topics, deps.logger),
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
  const groupId = `cdc-es-lab-history-${randomUUID()}`;
  const subscription = await subscribe(
    kafka,
    { groupId, topics: [...new Set([...ends.keys()].map((key) => key.slice(0, key.lastIndexOf("/"))))], fromBeginning: true },
    async (event) => {
      const key = `${event.position.topic}/${event.position.partition}`;
      const end = ends.get(key);
      if (end === undefined || BigInt(event.position.offset) >= end) return;
      events.push(event);
      if (BigInt(event.position.offset) === end - 1n) {
        remaining.delete(key);
        if (remaining.size === 0) finish();
      }
    },
    logger,
  );
  // Bounded: an end offset held by a record the consumer never sees (a transaction marker)
  // must not hang the caller.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<LabError>((resolve) => {
    timer = setTimeout(
      () => resolve(new LabError("Timeout", `reading ${topics.join(", ")} to their end took over ${READ_TO_END_TIMEOUT_MS} ms; still missing ${[...remaining].join(", ")}`, { retriable: true })),
      READ_TO_END_TIMEOUT_MS,
    );
  });
  const failure = await Promise.race([done.then(() => null), subscription.ended, timeout]);
  clearTimeout(timer);
  await subscription.stop();
  if (failure !== null) throw failure;
  return events;
}

function subscribe(kafka: Kafka, options: ChangeSubscriptionOptions, handler: ChangeHandler, logger: Logger): Promise<ChangeSubscription> {
  return subscribeToRecords(kafka, { ...options, component: "change feed" }, (record, position) => handler(decodeChangeRecord(record, position)), logger);
}
