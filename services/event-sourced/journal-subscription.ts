import type { Pool, PoolClient } from "pg";
import { LabError, describeError } from "../platform/errors.ts";
import type { Logger } from "../platform/logger.ts";
import { journalSchema } from "./journal-schema.ts";

export interface JournalSubscriptionDeps {
  pool: Pool;
  schema: string;
  logger: Logger;
  /** One unit of work (e.g. a projection's `runOnce`): resolves with the events it handled, 0 when caught up. */
  process: () => Promise<number>;
  /** The longest pause between two looks at the journal, notified or not. Default 1000 ms. */
  pollIntervalMs?: number;
  /** false: poll only, no LISTEN connection (the design stores use where NOTIFY is off). Default true. */
  listen?: boolean;
}

/** One look at the journal: what `process` handled and when its work was done (epoch ms, `Date.now()`). */
export interface JournalPass {
  /**
   * Why the pass ran: the first one; right after a pass that found events (`more`); a
   * notification; a quick retry after a notification that found nothing visible yet; or the
   * plain poll interval running out.
   */
  wokenBy: "start" | "more" | "notification" | "retry" | "poll";
  handled: number;
  startedAt: number;
  /** After `process` resolved: whatever it committed is visible to every reader from here on. */
  finishedAt: number;
}

export interface JournalSubscription {
  stop(): Promise<void>;
  /** Settles with the error that stopped the subscription, or null after `stop()`. */
  readonly ended: Promise<LabError | null>;
  /**
   * Calls `listener` after every pass, in order, before the next pass starts: how a caller learns
   * when what it wrote became visible without querying the read model in a loop of its own.
   * Returns the function that removes the listener. A listener that throws stops the
   * subscription like a failing pass.
   */
  onPass(listener: (pass: JournalPass) => void): () => void;
}

// After a notification that found nothing visible yet, look again soon, then less and less often.
const FIRST_RETRY_MS = 10;

/**
 * Drives `process` whenever the journal may have grown. The append notifies in its own
 * transaction, so a notification arrives only once its events are committed; it can still find
 * them invisible to the safe global reader while an older transaction anywhere is open, and that
 * transaction's end notifies nobody. Hence the polling: right after a notification in quick
 * retries, and otherwise every `pollIntervalMs` (which also covers a lost LISTEN connection).
 * The LISTEN connection is taken from `pool` for the subscription's lifetime.
 */
export async function startJournalSubscription(deps: JournalSubscriptionDeps): Promise<JournalSubscription> {
  const schema = journalSchema(deps.schema);
  const pollIntervalMs = deps.pollIntervalMs ?? 1_000;
  const log = deps.logger.child({ component: "journal-subscription", schema: schema.name });
  let listener: PoolClient | null = null;
  let stopping = false;
  let notified = false;
  let wake: () => void = () => undefined;
  const passListeners = new Set<(pass: JournalPass) => void>();

  const onNotification = (): void => {
    notified = true;
    wake();
  };
  const onListenerError = (error: Error): void => {
    // Polling still runs, so the subscription degrades to it instead of stopping.
    log.warn({ err: describeError(error) }, "LISTEN connection lost; polling only");
    const lost = listener;
    listener = null;
    lost?.release(error);
  };
  if (deps.listen ?? true) {
    const client = await deps.pool.connect();
    client.on("notification", onNotification);
    client.on("error", onListenerError);
    try {
      await client.query(`LISTEN "${schema.channel}"`);
    } catch (error) {
      client.release(error instanceof Error ? error : true);
      throw new LabError("ComponentFailed", `cannot LISTEN on ${schema.channel}: ${describeError(error)}`, { cause: error, retriable: true });
    }
    listener = client;
  }

  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wake = () => undefined;
        resolve();
      }
      wake = done;
      if (notified || stopping) done();
    });

  async function loop(): Promise<LabError | null> {
    let retryMs: number | null = null;
    let wokenBy: JournalPass["wokenBy"] = "start";
    while (!stopping) {
      notified = false;
      let handled: number;
      try {
        const startedAt = Date.now();
        handled = await deps.process();
        const pass: JournalPass = { wokenBy, handled, startedAt, finishedAt: Date.now() };
        for (const listener of passListeners) listener(pass);
      } catch (error) {
        log.error({ err: describeError(error) }, "subscription stopped by a failing pass");
        return error instanceof LabError
          ? error
          : new LabError("ComponentFailed", `journal subscription on ${schema.name} failed: ${describeError(error)}`, { cause: error });
      }
      if (handled > 0) {
        retryMs = null;
        wokenBy = "more";
        continue;
      }
      // A notification during the pass may be for events the pass started too early to see.
      if (notified) {
        retryMs = FIRST_RETRY_MS;
        wokenBy = "notification";
        continue;
      }
      const retrying = retryMs !== null;
      await pause(retryMs ?? pollIntervalMs);
      if (notified) {
        retryMs = FIRST_RETRY_MS;
        wokenBy = "notification";
      } else {
        wokenBy = retrying ? "retry" : "poll";
        if (retryMs !== null) retryMs = retryMs * 2 >= pollIntervalMs ? null : retryMs * 2;
      }
    }
    return null;
  }

  const ended = loop().then(async (result) => {
    const client = listener;
    listener = null;
    if (client !== null) {
      client.off("notification", onNotification);
      client.off("error", onListenerError);
      try {
        await client.query(`UNLISTEN "${schema.channel}"`);
        client.release();
      } catch (error) {
        client.release(error instanceof Error ? error : true);
        log.warn({ err: describeError(error) }, "UNLISTEN failed; connection discarded");
      }
    }
    return result;
  });

  return {
    async stop() {
      stopping = true;
      wake();
      await ended;
    },
    ended,
    onPass(listener) {
      passListeners.add(listener);
      return () => {
        passListeners.delete(listener);
      };
    },
  };
}
