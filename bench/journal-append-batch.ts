/**
 * The journal's batch append: 100 cart events to one stream in one `appendToStream`, one writer,
 * in events per second. Compared with COPY of 100 rows of the same shape (rows per second): a
 * batch append is the journal's way of taking many rows at once, COPY is PostgreSQL's.
 */
import type { Benchmark } from "./harness/benchmark.ts";
import { repeat } from "./harness/repeat.ts";
import { cartStreamId } from "../services/event-sourced/cart-stream.ts";
import { ROWS_PER_COPY } from "./baseline-copy.ts";
import { measureOf } from "./measures-support/bench-measure.ts";
import { itemsAdded } from "./measures-support/cart-event-fixtures.ts";
import { requiredBaseline } from "./measures-support/required-baseline.ts";
import { withScratchJournal } from "./measures-support/scratch-journal.ts";
import { perOperationSettings, profiled } from "./measures-support/writer-lanes.ts";

/** As many events per append as rows per COPY in the baseline. */
const EVENTS_PER_APPEND = ROWS_PER_COPY;
/** Appends per timed repetition (as many events as the COPY baseline's rows); the warm-up does a fifth. */
const APPENDS = { quick: 10, full: 100 } as const;
/** The target: at least 0.5x COPY. */
const TARGET = 0.5;
const POOL_SIZE = 1;

export const journalAppendBatch: Benchmark = {
  id: "journal-append-batch",
  title: `journal batch append: ${EVENTS_PER_APPEND} events in one append, 1 writer`,
  kind: "measure",
  needs: ["baseline-copy"],
  async run(context) {
    return withScratchJournal(context, "batch", POOL_SIZE, async ({ journal, poolSize }) => {
      const appends = context.quick ? APPENDS.quick : APPENDS.full;
      let streams = 0;
      // Every batch opens a new cart's stream: the append checks "no events yet" and writes versions 1..100.
      const appendBatch = async () => {
        const cartId = `batch-${(streams += 1)}`;
        await journal.appendToStream(cartStreamId(cartId), "no_stream", itemsAdded(cartId, 0, EVENTS_PER_APPEND));
      };
      const appendMany = async (count: number) => {
        const startedAt = performance.now();
        for (let append = 0; append < count; append += 1) await appendBatch();
        return (count * EVENTS_PER_APPEND) / ((performance.now() - startedAt) / 1000);
      };
      const warmUpAppends = Math.max(1, Math.floor(appends / 5));
      const repeated = await repeat(context, {
        name: `journal batch append of ${EVENTS_PER_APPEND} events`,
        unit: "events/s",
        warmUp: async () => {
          await appendMany(warmUpAppends);
          return warmUpAppends;
        },
        once: () => appendMany(appends),
      });
      return [
        profiled(measureOf(
          {
            id: "journal.append-batch",
            label: `journal batch append, ${EVENTS_PER_APPEND} events per append, 1 writer`,
            unit: "events/s",
            better: "higher",
            baseline: requiredBaseline(context, "baseline.copy"),
            target: TARGET,
            settings: {
              operation: `EventJournal.appendToStream(new stream, no_stream, [${EVENTS_PER_APPEND} ItemAdded])`,
              writers: 1,
              poolSize,
              eventsPerOperation: EVENTS_PER_APPEND,
              eventsPerRepetition: appends * EVENTS_PER_APPEND,
              personalData: "encrypted",
              ...perOperationSettings(repeated.perOperation),
            },
          },
          repeated.samples,
        ), repeated),
      ];
    });
  },
};
