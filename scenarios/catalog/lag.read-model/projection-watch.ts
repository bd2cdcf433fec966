import { cartIdOfStream } from "../../../services/event-sourced/cart-stream.ts";
import type { RecordedEvent } from "../../../services/event-sourced/event-journal.ts";
import { initialCheckpoint } from "../../../services/event-sourced/global-checkpoint.ts";
import { journalSchema } from "../../../services/event-sourced/journal-schema.ts";
import type { JournalPass } from "../../../services/event-sourced/journal-subscription.ts";
import { readCartSummary } from "../../../services/event-sourced/read-cart-summary.ts";
import { LabError } from "../../../services/platform/errors.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import type { EsDriver } from "../../kit/drivers/subject-driver.ts";
import type { VisibleTransaction } from "./match-writes.ts";
import type { ReadModelWatch } from "./read-model-watch.ts";

const SETTLE_TIMEOUT_MS = 60_000;
const READ_PAGE = 1_000;
/** The one lane of a journal read model: the cart's stream version. */
const STREAM_LANE = "streamVersion";

/**
 * The cart_summaries projection as the subject runs it (`startProjection`: NOTIFY or polling, as
 * its spec says), with a record of every pass. The projection is the journal's only runner here
 * and starts from the journal's beginning, so its passes apply the safe global order in
 * consecutive slices: the n-th event of that order became visible when the pass that took the
 * running count of handled events to n or beyond committed.
 */
export async function watchProjection(driver: EsDriver): Promise<ReadModelWatch> {
  const subscription = await driver.startProjection();
  const passes: JournalPass[] = [];
  subscription.onPass((pass) => {
    if (pass.handled > 0) passes.push(pass);
  });
  const schema = driver.names.journalSchema;
  // undefined while the projection runs; its failure (or null once stopped) after.
  let endedWith: LabError | null | undefined;
  void subscription.ended.then((result) => {
    endedWith = result;
  });

  async function readInGlobalOrder(): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    let after = initialCheckpoint();
    for (;;) {
      const page = await driver.journal.readAll({ after, limit: READ_PAGE });
      if (page.events.length === 0) return events;
      events.push(...page.events);
      after = page.checkpoint;
    }
  }

  async function settle(): Promise<Map<string, VisibleTransaction[]>> {
    const stored = Number((await driver.pool.query<{ count: string }>(`SELECT count(*) AS count FROM ${journalSchema(schema).events}`)).rows[0]?.count ?? 0);
    let handled = 0;
    const events = await waitFor(
      async () => {
        // Not retriable: waitFor would otherwise wait out its bound for a feeder that is gone.
        if (endedWith !== undefined) throw new LabError("ComponentFailed", `the projection of ${driver.spec.id} stopped before it caught up${endedWith === null ? "" : `: ${endedWith.message}`}`, { cause: endedWith, retriable: false });
        handled = passes.reduce((sum, pass) => sum + pass.handled, 0);
        if (handled < stored) return undefined;
        // Every stored event is below the oldest open transaction by now: the safe order is complete.
        const ordered = await readInGlobalOrder();
        return ordered.length === stored ? ordered : undefined;
      },
      { what: `the projection of ${driver.spec.id} to apply all ${stored} events`, timeoutMs: SETTLE_TIMEOUT_MS, intervalMs: 50, onTimeout: () => ({ handled, stored }) },
    );
    if (handled !== events.length) {
      throw new LabError("ComponentFailed", `the projection of ${driver.spec.id} handled ${handled} events, the journal holds ${events.length}`, { details: { handled, stored: events.length } });
    }
    return visibleTransactions(events, passes);
  }

  return {
    feeder: driver.spec.journal.wakeUp === "notify" ? "projection woken by LISTEN/NOTIFY" : "projection polling the journal",
    readPosition: async (cartId) => ({ [STREAM_LANE]: (await readCartSummary(driver.pool, schema, cartId))?.streamVersion ?? 0 }),
    view: (cartId) => driver.readModelView(cartId),
    settle,
    busy: () => passes,
    async stop() {
      await subscription.stop();
      const failure = await subscription.ended;
      if (failure !== null) throw failure;
    },
  };
}

/** Each cart's append transactions in stream order, visible when the pass holding their last event committed. */
export function visibleTransactions(ordered: readonly RecordedEvent[], passes: readonly Pick<JournalPass, "handled" | "startedAt" | "finishedAt" | "wokenBy">[]): Map<string, VisibleTransaction[]> {
  const byTransaction = new Map<string, { cartId: string; visibleAt: number; handedOverAt: number; version: number; via: string }>();
  let pass = 0;
  let passEnd = passes[0]?.handled ?? 0;
  for (const [index, event] of ordered.entries()) {
    while (index >= passEnd && pass < passes.length) {
      pass += 1;
      passEnd += passes[pass]?.handled ?? 0;
    }
    const holder = passes[pass];
    if (holder === undefined) throw new LabError("ComponentFailed", `event ${event.globalPosition} is beyond every pass of the projection`, { details: { position: event.globalPosition } });
    const cartId = cartIdOfStream(event.streamId);
    if (cartId === null) continue;
    const key = `${event.streamId}/${event.transactionId}`;
    const seen = byTransaction.get(key);
    // Events come in global order, so a transaction's last event is in its latest pass.
    byTransaction.set(key, { cartId, visibleAt: holder.finishedAt, handedOverAt: holder.startedAt, version: Math.max(seen?.version ?? 0, event.streamVersion), via: holder.wokenBy });
  }
  const byCart = new Map<string, VisibleTransaction[]>();
  for (const { cartId, visibleAt, handedOverAt, version, via } of [...byTransaction.values()].sort((a, b) => a.version - b.version)) {
    byCart.set(cartId, [...(byCart.get(cartId) ?? []), { cartId, visibleAt, handedOverAt, position: { [STREAM_LANE]: version }, via }]);
  }
  return byCart;
}
