import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { Kafka } from "kafkajs";
import type { Consumer } from "kafkajs";
import { LabError, describeError } from "../platform/errors.ts";
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
    subscribe: (options, handler) => subscribe(kafka.consumer({ groupId: options.groupId }), options, handler, deps.logger),
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
    kafka.consumer({ groupId }),
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

/**
 * Subscribing to a topic nobody wrote yet makes the broker create it, and until its leader is
 * elected the metadata answer is a retriable "does not host this topic-partition".
 */
async function subscribeWhenTopicsExist(consumer: Consumer, options: ChangeSubscriptionOptions): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning });
      return;
    } catch (error) {
      const retriable = (error as { retriable?: unknown }).retriable === true;
      if (!retriable || Date.now() > deadline) throw error;
      await delay(200);
    }
  }
}

async function subscribe(consumer: Consumer, options: ChangeSubscriptionOptions, handler: ChangeHandler, logger: Logger): Promise<ChangeSubscription> {
  const log = logger.child({ component: "change-feed", groupId: options.groupId });
  let settle: (value: LabError | null) => void = () => undefined;
  const ended = new Promise<LabError | null>((resolve) => {
    settle = resolve;
  });
  let failure: LabError | null = null;
  let stopping: Promise<void> | null = null;

  const stop = (reason: LabError | null): Promise<void> => {
    if (stopping === null) {
      failure = reason;
      stopping = consumer.disconnect().then(
        () => settle(failure),
        (error: unknown) => {
          const wrapped = new LabError("ComponentFailed", `change feed ${options.groupId} did not disconnect cleanly: ${describeError(error)}`, { cause: error });
          settle(failure ?? wrapped);
        },
      );
    }
    return stopping;
  };

  consumer.on(consumer.events.CRASH, (event) => {
    const error = new LabError("ComponentFailed", `change feed ${options.groupId} crashed: ${describeError(event.payload.error)}`, {
      cause: event.payload.error,
      retriable: true,
    });
    log.error({ err: event.payload.error }, "consumer crashed");
    void stop(error);
  });

  try {
    await consumer.connect();
    await subscribeWhenTopicsExist(consumer, options);
    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
        for (const message of batch.messages) {
          if (!isRunning() || isStale() || failure !== null) return;
          const position = { topic: batch.topic, partition: batch.partition, offset: message.offset };
          try {
            const event = decodeChangeRecord({ key: message.key, value: message.value }, position);
            await handler(event);
          } catch (error) {
            // Not resolving the offset keeps the bad record uncommitted: after a fix, a restart
            // reads it again. Stopping from inside eachBatch would deadlock kafkajs, so defer it.
            const labError =
              error instanceof LabError
                ? error
                : new LabError("ComponentFailed", `change handler failed at ${position.topic}[${position.partition}]@${position.offset}: ${describeError(error)}`, {
                    cause: error,
                    details: { ...position },
                  });
            log.error({ ...position, code: labError.code }, labError.message);
            failure = labError;
            setImmediate(() => void stop(labError));
            return;
          }
          resolveOffset(message.offset);
          await heartbeat();
        }
        await commitOffsetsIfNecessary();
      },
    });
  } catch (error) {
    await stop(null);
    throw new LabError("ComponentFailed", `could not subscribe ${options.groupId} to ${options.topics.join(",")}: ${describeError(error)}`, {
      cause: error,
      retriable: true,
    });
  }

  return { stop: () => stop(null), ended };
}
