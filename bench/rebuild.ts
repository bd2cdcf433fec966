/**
 * The rebuild: every event of the journal read in global order and folded into the cart-summary
 * projection from an empty read model, as a replay after a bug fix does (the read model's rows
 * deleted, the checkpoint moved back to the start, then `catchUp`). Compared with the raw read of
 * as many rows into Node, and with the floor of 50,000 events/s.
 */
import { createCartSummaryProjection } from "../services/event-sourced/cart-summary-projection.ts";
import { cartStreamId } from "../services/event-sourced/cart-stream.ts";
import { initialCheckpoint } from "../services/event-sourced/global-checkpoint.ts";
import { journalSchema } from "../services/event-sourced/journal-schema.ts";
import { LabError } from "../services/platform/errors.ts";
import { waitFor } from "../services/platform/wait-for.ts";
import type { Benchmark } from "./harness/benchmark.ts";
import { repeat } from "./harness/repeat.ts";
import { measureOf } from "./measures-support/bench-measure.ts";
import { itemsAdded } from "./measures-support/cart-event-fixtures.ts";
import { EVENTS_TO_READ } from "./measures-support/read-size.ts";
import { requiredBaseline } from "./measures-support/required-baseline.ts";
import { withScratchJournal } from "./measures-support/scratch-journal.ts";
import { lanesByKey, perOperationSettings, runLanes, profiled } from "./measures-support/writer-lanes.ts";

/** Events per cart: carts are many and their histories interleave, as sessions' commands do. */
const EVENTS_PER_CART = 50;
/** Events per append while the history is written: a few commands' worth, round-robin over the carts. */
const EVENTS_PER_APPEND = 5;
const WRITERS = 4;
const POOL_SIZE = WRITERS;
/** The projection's default batch (services/event-sourced/cart-summary-projection.ts). */
const PROJECTION_BATCH = 500;
const TARGET_RATIO = 0.5;
const TARGET_EVENTS_PER_S = 50_000;
/** A transaction elsewhere in the cluster that started before the history was written holds the global read back until it ends. */
const VISIBLE_TIMEOUT_MS = 60_000;

export const rebuild: Benchmark = {
  id: "rebuild",
  title: "rebuild: every event in global order folded into the cart-summary projection",
  kind: "measure",
  needs: ["baseline-read"],
  async run(context) {
    const events = context.quick ? EVENTS_TO_READ.quick : EVENTS_TO_READ.full;
    const carts = events / EVENTS_PER_CART;
    return withScratchJournal(context, "rebuild", POOL_SIZE, async ({ schema, pool, poolSize, journal }) => {
      await context.progress.step(`rebuild: writing a history of ${events} events over ${carts} carts`, async () => {
        const appends = events / EVENTS_PER_APPEND;
        const cartOf = (append: number) => `rebuild-${append % carts}`;
        // One cart's appends stay in one lane, in order: each is at the version the previous one left.
        const lanes = lanesByKey(Array.from({ length: appends }, (_, append) => append), WRITERS, cartOf);
        await runLanes(lanes, async (append) => {
          // Append k goes to cart k mod carts: round r of the carts appends their events r*5..r*5+4.
          const cartId = cartOf(append);
          const round = Math.floor(append / carts);
          await journal.appendToStream(cartStreamId(cartId), round * EVENTS_PER_APPEND, itemsAdded(cartId, round * EVENTS_PER_APPEND, EVENTS_PER_APPEND));
        });
        await pool.query(`VACUUM ANALYZE ${journalSchema(schema).events}`);
        await waitFor(
          async () => {
            const result = await pool.query<{ visible: boolean }>(`SELECT max(transaction_id) < pg_snapshot_xmin(pg_current_snapshot()) AS visible FROM ${journalSchema(schema).events}`);
            return result.rows[0]?.visible === true ? true : undefined;
          },
          { what: "every appended event to be visible to the global read (no older transaction still running)", timeoutMs: VISIBLE_TIMEOUT_MS },
        );
      });
      const projection = createCartSummaryProjection({ pool, schema, journal, batchSize: PROJECTION_BATCH });
      const rebuildOnce = async () => {
        await pool.query(`DELETE FROM ${journalSchema(schema).cartSummaries}`);
        await projection.resetCheckpoint(initialCheckpoint());
        const startedAt = performance.now();
        const read = await projection.catchUp();
        const seconds = (performance.now() - startedAt) / 1000;
        if (read !== events) throw new LabError("ComponentFailed", `the rebuild folded ${read} events; the journal holds ${events}`, { details: { read, events } });
        return read / seconds;
      };
      const repeated = await repeat(context, {
        name: `rebuild of ${events} events`,
        unit: "events/s",
        warmUp: async () => {
          await rebuildOnce();
          return 1;
        },
        once: rebuildOnce,
      });
      const settings = {
        operation: `one rebuild: delete the read model, checkpoint to the start, catchUp over ${events} events`,
        events,
        carts,
        eventsPerAppend: EVENTS_PER_APPEND,
        projectionBatch: PROJECTION_BATCH,
        poolSize,
        ...perOperationSettings(repeated.perOperation),
        roundTripsPer1000Events: Math.round((repeated.perOperation.roundTrips / events) * 1000 * 10) / 10,
      };
      const label = `rebuild: ${events.toLocaleString("en-US")} events in global order folded into the cart-summary projection`;
      return [
        profiled(measureOf({ id: "rebuild.vs-raw-read", label, unit: "events/s", better: "higher", baseline: requiredBaseline(context, "baseline.read"), target: TARGET_RATIO, settings }, repeated.samples), repeated),
        // The same repetitions held to the floor; its profile is the one above.
        measureOf({ id: "rebuild.absolute", label: `${label} (the issue's floor)`, unit: "events/s", better: "higher", target: TARGET_EVENTS_PER_S, settings: { ...settings, sameRepetitionsAs: "rebuild.vs-raw-read" } }, repeated.samples),
      ];
    });
  },
};
