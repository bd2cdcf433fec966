/**
 * The journal's append alone, one and eight writers: one cart event appended at its expected
 * version through `EventJournal.appendToStream`, nothing loaded first (each writer knows its
 * streams' versions). Compared with the raw INSERT of as many connections: what the journal's
 * version check, global order and notification cost on top of writing the row.
 */
import type { Benchmark, BenchContext, Measure } from "./harness/benchmark.ts";
import { cartStreamId } from "../services/event-sourced/cart-stream.ts";
import type { EventJournal } from "../services/event-sourced/event-journal.ts";
import { measureOf } from "./measures-support/bench-measure.ts";
import { itemAdded } from "./measures-support/cart-event-fixtures.ts";
import { requiredBaseline } from "./measures-support/required-baseline.ts";
import { withScratchJournal } from "./measures-support/scratch-journal.ts";
import { STREAMS_PER_WRITER, repeatAppends } from "./measures-support/repeat-appends.ts";
import { WRITER_COUNTS, perOperationSettings, profiled } from "./measures-support/writer-lanes.ts";

/** Appends per timed repetition (the raw INSERT baseline's row count); the warm-up does a fifth. */
const APPENDS = { quick: 400, full: 5_000 } as const;
/** The target: at least 0.7x the raw INSERT with as many writers. */
const TARGET = 0.7;
/** The designs' default pool size (services/designs/cart-designs.ts). */
const POOL_SIZE = 10;

export const journalAppend: Benchmark = {
  id: "journal-append",
  title: "journal append alone: one event at its expected version, 1 and 8 writers",
  kind: "measure",
  needs: ["baseline-insert"],
  async run(context) {
    return withScratchJournal(context, "append", POOL_SIZE, async ({ journal, poolSize }) => {
      const measures: Measure[] = [];
      for (const writers of WRITER_COUNTS) measures.push(await appendMeasure(context, journal, poolSize, writers));
      return measures;
    });
  },
};

async function appendMeasure(context: BenchContext, journal: EventJournal, poolSize: number, writers: number): Promise<Measure> {
  const appends = context.quick ? APPENDS.quick : APPENDS.full;
  const repeated = await repeatAppends(context, {
    name: `journal append, ${writers} writer(s)`,
    writers,
    appends,
    streamPrefix: "append",
    appendAt: async (_lane, cartId, version) => (await journal.appendToStream(cartStreamId(cartId), version, [itemAdded(cartId, version)])).nextExpectedVersion,
  });
  return profiled(measureOf(
    {
      id: `journal.append.w${writers}`,
      label: `journal append, one event at its expected version, ${writers} writer${writers === 1 ? "" : "s"}`,
      unit: "appends/s",
      better: "higher",
      baseline: requiredBaseline(context, `baseline.insert.w${writers}`),
      target: TARGET,
      settings: {
        operation: "EventJournal.appendToStream(stream, expected version, [one ItemAdded])",
        writers,
        poolSize,
        streams: writers * STREAMS_PER_WRITER,
        appendsPerRepetition: appends,
        personalData: "encrypted",
        ...perOperationSettings(repeated.perOperation),
      },
    },
    repeated.samples,
  ), repeated);
}
