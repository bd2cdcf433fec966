import { randomUUID } from "node:crypto";
import { decide, evolve, initialCartState, parseCommand, toCartView } from "../../../services/cart/index.ts";
import type { CartEvent, CartState, CartView } from "../../../services/cart/index.ts";
import { encodeCartEvent } from "../../../services/event-sourced/cart-event-codec.ts";
import { cartStreamId } from "../../../services/event-sourced/cart-stream.ts";
import { journalSchema } from "../../../services/event-sourced/journal-schema.ts";
import { startJournalSubscription } from "../../../services/event-sourced/journal-subscription.ts";
import { LabError } from "../../../services/platform/errors.ts";
import type { Logger } from "../../../services/platform/logger.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import type { EsDriver } from "../../kit/drivers/subject-driver.ts";
import { cartViewKey } from "./cart-view-key.ts";
import type { BatchProbePlan } from "./concurrent-workload.ts";
import type { ShownView } from "./torn-views.ts";

export interface ProjectionWatch {
  /** Every view of a watched cart the read model held after a batch committed, in order. */
  shown: ShownView[];
  batches: number;
  /** Batches whose checkpoint fell between two events of one append (one transaction). */
  splitAppends: number;
}

const CATCH_UP_TIMEOUT_MS = 60_000;

/**
 * After each batch of the driver's cart_summaries projection: what the read model now shows
 * for the watched carts, and whether the batch ended inside an append (are there events of the
 * checkpoint's transaction after the checkpoint's position?). The read model changes only when
 * a batch commits, and only this projection writes it here, so this sees every state it showed.
 */
function batchInspector(es: EsDriver, cartIds: readonly string[]): { watch: ProjectionWatch; afterBatch(): Promise<void> } {
  const schema = journalSchema(es.names.journalSchema);
  const watch: ProjectionWatch = { shown: [], batches: 0, splitAppends: 0 };
  return {
    watch,
    async afterBatch() {
      watch.batches += 1;
      const checkpoint = await es.projection.checkpoint();
      const rest = await es.pool.query<{ rest: number }>(
        `SELECT count(*)::int AS rest FROM ${schema.events} WHERE transaction_id = $1::xid8 AND global_position > $2::bigint`,
        [checkpoint.transactionId, checkpoint.globalPosition],
      );
      if ((rest.rows[0]?.rest ?? 0) > 0) watch.splitAppends += 1;
      for (const cartId of cartIds) watch.shown.push({ cartId, view: await es.readModelView(cartId) });
    },
  };
}

async function showsFinal(es: EsDriver, finalViews: ReadonlyMap<string, CartView | null>): Promise<boolean> {
  for (const [cartId, view] of finalViews) if (cartViewKey(await es.readModelView(cartId)) !== cartViewKey(view)) return false;
  return true;
}

/**
 * Runs the driver's projection, woken by NOTIFY as the driver runs it, while `work` writes,
 * and inspects every batch; resolves once the read model shows every watched cart's final state.
 */
export async function watchProjection(
  es: EsDriver,
  logger: Logger,
  finalViews: ReadonlyMap<string, CartView | null>,
  work: () => Promise<void>,
): Promise<ProjectionWatch> {
  const inspector = batchInspector(es, [...finalViews.keys()]);
  const subscription = await startJournalSubscription({
    pool: es.pool,
    schema: es.names.journalSchema,
    logger,
    pollIntervalMs: 100,
    process: async () => {
      const handled = await es.projection.runOnce();
      if (handled > 0) await inspector.afterBatch();
      return handled;
    },
  });
  try {
    await work();
    await waitFor(async () => ((await showsFinal(es, finalViews)) ? true : undefined), {
      what: "the cart_summaries projection to show every cart's final state",
      timeoutMs: CATCH_UP_TIMEOUT_MS,
      intervalMs: 100,
    });
  } finally {
    await subscription.stop();
  }
  const failure = await subscription.ended;
  if (failure !== null) throw failure;
  return inspector.watch;
}

/**
 * Can a batch boundary split one append? No cart command decides more than one event, so the
 * scenario's own appends cannot tell. Here each probe cart gets one atomic append of many
 * events through the journal port (as a command deciding several events would), and the
 * driver's projection, with its own batch size, catches up batch by batch. Committed states of
 * a probe cart: none, then all of its append.
 */
export async function probeMultiEventAppends(es: EsDriver, probe: BatchProbePlan): Promise<ProjectionWatch & { committed: Map<string, (CartView | null)[]> }> {
  const committed = new Map<string, (CartView | null)[]>();
  for (const cart of probe.carts) {
    const metadata = { actor: "batch-probe", reason: null, correlationId: randomUUID(), decidedAt: new Date().toISOString() };
    const { events, state } = decideAll(Array.from({ length: probe.eventsPerAppend }, () => ({ type: "AddItem", cartId: cart.cartId, sku: cart.sku, name: cart.sku, unitPriceCents: cart.unitPriceCents, quantity: 1 })));
    await es.journal.appendToStream(cartStreamId(cart.cartId), "no_stream", events.map((event) => encodeCartEvent(event, metadata)));
    committed.set(cart.cartId, [null, toCartView(state)]);
  }
  const finalViews = new Map([...committed].map(([cartId, views]) => [cartId, views[views.length - 1] ?? null] as const));
  const inspector = batchInspector(es, [...committed.keys()]);
  // One batch per look; the safe reader may see nothing while any older transaction in the
  // cluster is open, so "caught up" is the read model's final state, not an empty batch.
  await waitFor(
    async () => {
      if ((await es.projection.runOnce()) > 0) await inspector.afterBatch();
      return (await showsFinal(es, finalViews)) ? true : undefined;
    },
    { what: "the cart_summaries projection to show the probe carts", timeoutMs: CATCH_UP_TIMEOUT_MS, intervalMs: 20 },
  );
  return { ...inspector.watch, committed };
}

function decideAll(commands: readonly Record<string, unknown>[]): { events: CartEvent[]; state: CartState } {
  let state: CartState = initialCartState();
  const events: CartEvent[] = [];
  for (const raw of commands) {
    const parsed = parseCommand(raw);
    if (!parsed.ok) throw new LabError("UsageInvalid", `probe command invalid: ${parsed.rejection.message}`);
    const decision = decide(parsed.command, state);
    if (!decision.ok) throw new LabError("UsageInvalid", `probe command rejected: ${decision.rejection.message}`);
    for (const event of decision.events) {
      events.push(event);
      state = evolve(state, event);
    }
  }
  return { events, state };
}
