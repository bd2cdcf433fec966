import { setTimeout as delay } from "node:timers/promises";
import { Kafka } from "kafkajs";
import type { Consumer } from "kafkajs";
import { LabError, describeError } from "../platform/errors.ts";
import { KAFKAJS_LOG_LEVEL, kafkajsLogCreator } from "../platform/kafkajs-logging.ts";
import type { Logger } from "../platform/logger.ts";
import type { CheckoutFeed, CheckoutFeedOptions, CheckoutHandler, CheckoutSubscription } from "./checkout-feed.ts";
import { decodeCheckoutRecord } from "./checkout-message.ts";
import type { CheckoutPosition } from "./checkout-message.ts";

export interface KafkaCheckoutFeedDeps {
  brokers: string[];
  logger: Logger;
  clientId?: string;
}

/** The `CheckoutFeed` over kafkajs. kafkajs types stay in this file. */
export function createKafkaCheckoutFeed(deps: KafkaCheckoutFeedDeps): CheckoutFeed {
  const kafka = new Kafka({
    clientId: deps.clientId ?? "cdc-es-lab-shipping",
    brokers: deps.brokers,
    logLevel: KAFKAJS_LOG_LEVEL,
    logCreator: kafkajsLogCreator(deps.logger),
  });
  return {
    subscribe: (options, handler) => subscribe(kafka.consumer({ groupId: options.groupId }), options, handler, deps.logger),
  };
}

const TOPIC_WAIT_MS = 30_000;

/**
 * A checkout topic may not exist yet (Connect creates the outbox topic on its first record, the
 * publisher on its first send). Subscribing makes the broker create it, and until its leader is
 * elected the metadata answer is a retriable "does not host this topic-partition".
 */
async function subscribeWhenTopicsExist(consumer: Consumer, options: CheckoutFeedOptions): Promise<void> {
  const deadline = Date.now() + TOPIC_WAIT_MS;
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

async function subscribe(consumer: Consumer, options: CheckoutFeedOptions, handler: CheckoutHandler, logger: Logger): Promise<CheckoutSubscription> {
  const log = logger.child({ component: "checkout-feed", groupId: options.groupId });
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
          const wrapped = new LabError("ComponentFailed", `checkout feed ${options.groupId} did not disconnect cleanly: ${describeError(error)}`, { cause: error });
          settle(failure ?? wrapped);
        },
      );
    }
    return stopping;
  };

  consumer.on(consumer.events.CRASH, (event) => {
    const error = new LabError("ComponentFailed", `checkout feed ${options.groupId} crashed: ${describeError(event.payload.error)}`, {
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
            const decoded = decodeCheckoutRecord({ key: message.key, value: message.value, headers: message.headers ?? {} }, position);
            await handler(decoded);
          } catch (error) {
            // The offset stays unresolved, so the record is not committed: once the cause is
            // fixed, a restart reads this very record again instead of silently passing it.
            // Stopping from inside eachBatch would deadlock kafkajs, hence the deferral.
            const labError = namesPosition(error, position)
              ? error
              : new LabError(error instanceof LabError ? error.code : "ComponentFailed", `checkout handler failed at ${position.topic}[${position.partition}]@${position.offset}: ${describeError(error)}`, {
                  cause: error,
                  details: { ...position },
                  retriable: error instanceof LabError && error.retriable,
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

/** A decoder's error already says where the record sits; a handler's (a database error) does not. */
function namesPosition(error: unknown, position: CheckoutPosition): error is LabError {
  return error instanceof LabError && error.details["topic"] === position.topic && error.details["offset"] === position.offset;
}
