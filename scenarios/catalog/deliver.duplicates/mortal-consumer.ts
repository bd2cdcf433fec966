import type { ChangeEvent } from "../../../services/crud-cdc/change-event.ts";
import type { ChangeFeed } from "../../../services/crud-cdc/change-feed.ts";
import { LabError, describeError } from "../../../services/platform/errors.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { kafkaPositionOf } from "./source-position.ts";

/**
 * A consumer that dies between applying a record and committing it, then starts again under the
 * same consumer group, as a crashed service restarted by its supervisor would. The death is a
 * handler that throws right after the apply: the change feed commits only what its handler
 * resolved, so Kafka hands the record it died on over again to the next life. (A process killed
 * in the middle of a fetched batch would lose the whole batch's uncommitted positions and get
 * more records again; the relation measured here is the same, only the count grows.)
 */
export interface MortalConsumerOptions {
  feed: ChangeFeed;
  groupId: string;
  topics: string[];
  /** Each life but the last dies right after applying this many records (counted within the life). */
  dieAfter: readonly number[];
  /** Kafka positions (`kafkaPositionOf`) the last life must have handled before it stops: the topics' end. */
  until: ReadonlySet<string>;
  /** The read model's apply; resolves false for a record that is none of its business (another table), which it skips. */
  apply(event: ChangeEvent): Promise<boolean>;
  timeoutMs: number;
}

export interface MortalConsumerRun {
  deaths: number;
  /** Records handled again at a Kafka position an earlier life had already handled. */
  redelivered: number;
}

export async function consumeWithDeaths(options: MortalConsumerOptions): Promise<MortalConsumerRun> {
  const handled = new Set<string>();
  let redelivered = 0;
  const handle = async (event: ChangeEvent): Promise<boolean> => {
    const applied = await options.apply(event);
    const position = kafkaPositionOf(event);
    if (handled.has(position)) redelivered += 1;
    handled.add(position);
    return applied;
  };

  for (const [life, dieAfter] of options.dieAfter.entries()) {
    let count = 0;
    const death = new LabError("ComponentFailed", `consumer ${options.groupId} died after applying its record ${dieAfter} of life ${life + 1}, before committing it (the scenario's crash)`);
    const subscription = await options.feed.subscribe({ groupId: options.groupId, topics: options.topics, fromBeginning: true }, async (event) => {
      // Dies on a record it really applied, so the copy Kafka hands over again is one it applies again.
      if (!(await handle(event))) return;
      count += 1;
      if (count === dieAfter) throw death;
    });
    const ended = await raceTimeout(subscription.ended, options.timeoutMs, `${options.groupId} to die after ${dieAfter} records`);
    // The feed wraps the handler's error with the record's position; anything else is a real failure.
    if (ended === null || (ended !== death && ended.cause !== death)) {
      await subscription.stop();
      throw ended ?? new LabError("ComponentFailed", `consumer ${options.groupId} stopped before its planned death`);
    }
  }

  const last = await options.feed.subscribe({ groupId: options.groupId, topics: options.topics, fromBeginning: true }, async (event) => {
    await handle(event);
  });
  try {
    await waitFor(
      async () => {
        const failure = await Promise.race([last.ended, Promise.resolve(undefined)]);
        if (failure !== undefined) throw failure ?? new LabError("ComponentFailed", `consumer ${options.groupId} stopped before the end of its topics`);
        return [...options.until].every((position) => handled.has(position)) ? true : undefined;
      },
      { what: `consumer ${options.groupId} to reach the end of ${options.topics.length} topics`, timeoutMs: options.timeoutMs, intervalMs: 100 },
    );
  } finally {
    await last.stop();
  }
  return { deaths: options.dieAfter.length, redelivered };
}

async function raceTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LabError("Timeout", `timed out after ${timeoutMs} ms waiting for ${what}`, { retriable: true })), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } catch (error) {
    throw error instanceof LabError ? error : new LabError("ComponentFailed", `waiting for ${what}: ${describeError(error)}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
