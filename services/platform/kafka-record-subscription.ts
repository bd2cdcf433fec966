import { setTimeout as delay } from "node:timers/promises";
import type { Kafka } from "kafkajs";
import { LabError, describeError } from "./errors.ts";
import type { Logger } from "./logger.ts";

/**
 * The consuming loop both Kafka adapters share (Debezium's change events and the checkout
 * messages): at least once, a record's offset is committed only after its handler resolved, and
 * a record that cannot be decoded or handled stops the subscription with an error naming its
 * topic, partition and offset — never skipped, never retried forever. kafkajs types stay here.
 */
export interface RecordPosition {
  topic: string;
  partition: number;
  /** Kafka offsets are 64-bit; kept as a decimal string. */
  offset: string;
}

export interface RawRecord {
  /** When the producer wrote it (the record's CreateTime), epoch milliseconds. */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

export interface RecordSubscriptionOptions {
  groupId: string;
  topics: string[];
  fromBeginning: boolean;
  /** Names the consumer in logs and errors ("change feed", "checkout feed"). */
  component: string;
}

export interface RecordSubscription {
  stop(): Promise<void>;
  /** Settles with the error that stopped the subscription, or null after `stop()`. */
  readonly ended: Promise<LabError | null>;
}

const TOPIC_WAIT_MS = 30_000;
const FETCH_WAIT_MS = 250;

export async function subscribeToRecords(
  kafka: Kafka,
  options: RecordSubscriptionOptions,
  onRecord: (record: RawRecord, position: RecordPosition) => Promise<void>,
  logger: Logger,
): Promise<RecordSubscription> {
  let stopping: Promise<void> | null = null;
  let failure: LabError | null = null;
  const consumer = kafka.consumer({
    groupId: options.groupId,
    // How long a fetch waits at the broker for records when there are none. Records are returned
    // as soon as one arrives whatever this is, so it adds nothing to latency; but disconnecting
    // waits for the fetch in flight, and kafkajs' 5 s default made every read-to-the-end (the CDC
    // history, the erasure scan) and every stop cost five seconds.
    maxWaitTimeInMs: FETCH_WAIT_MS,
    // kafkajs restarts a crashed consumer on a timer of its own, which a later disconnect does not
    // cancel: a consumer restarted after stop() would hold its partitions and handle nothing.
    retry: { restartOnFailure: async () => stopping === null && failure === null },
  });
  const log = logger.child({ component: options.component, groupId: options.groupId });
  let settle: (value: LabError | null) => void = () => undefined;
  const ended = new Promise<LabError | null>((resolve) => {
    settle = resolve;
  });
  const stop = (reason: LabError | null): Promise<void> => {
    if (stopping === null) {
      failure = reason;
      stopping = consumer.disconnect().then(
        () => settle(failure),
        (error: unknown) => {
          const wrapped = new LabError("ComponentFailed", `${options.component} ${options.groupId} did not disconnect cleanly: ${describeError(error)}`, { cause: error });
          settle(failure ?? wrapped);
        },
      );
    }
    return stopping;
  };

  consumer.on(consumer.events.CRASH, (event) => {
    if (event.payload.restart && stopping === null && failure === null) {
      // A broker failover (the group coordinator or a leader killed): kafkajs rejoins and resumes
      // from the committed offsets, so nothing is skipped; only a crash it gives up on stops us.
      log.warn({ err: describeError(event.payload.error) }, "consumer crashed; kafkajs restarts it from the committed offsets");
      return;
    }
    const error = new LabError("ComponentFailed", `${options.component} ${options.groupId} crashed: ${describeError(event.payload.error)}`, {
      cause: event.payload.error,
      retriable: true,
    });
    log.error({ err: event.payload.error }, "consumer crashed");
    void stop(error);
  });

  try {
    await consumer.connect();
    // Subscribing to a topic nobody wrote yet makes the broker create it, and until its leader
    // is elected the metadata answer is a retriable "does not host this topic-partition".
    const deadline = Date.now() + TOPIC_WAIT_MS;
    for (;;) {
      try {
        await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning });
        break;
      } catch (error) {
        const retriable = (error as { retriable?: unknown }).retriable === true;
        if (!retriable || Date.now() > deadline) throw error;
        await delay(200);
      }
    }
    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
        for (const message of batch.messages) {
          if (!isRunning() || isStale() || failure !== null) return;
          const position = { topic: batch.topic, partition: batch.partition, offset: message.offset };
          try {
            await onRecord({ timestamp: Number(message.timestamp), key: message.key, value: message.value, headers: message.headers ?? {} }, position);
          } catch (error) {
            // The offset stays unresolved, so the record is not committed: once the cause is
            // fixed, a restart reads this very record again. Stopping from inside eachBatch
            // would deadlock kafkajs, hence the deferral.
            const labError = namesPosition(error, position)
              ? error
              : new LabError(error instanceof LabError ? error.code : "ComponentFailed", `${options.component} failed at ${position.topic}[${position.partition}]@${position.offset}: ${describeError(error)}`, {
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
function namesPosition(error: unknown, position: RecordPosition): error is LabError {
  return error instanceof LabError && error.details["topic"] === position.topic && error.details["offset"] === position.offset;
}
