/**
 * The cost of asking the past as history grows: one "state of this cart at T" question, asked of
 * the journal (stateAt: the cart's stream up to T) and of the topics (the CDC design's only
 * history: every topic read from its start, grouped by transaction, the cart's rows replayed up
 * to T), after the same commands have built a history of 1,000, 10,000 and 100,000 journal
 * events. The history is written fast (eight writers per design, both designs at once) but
 * through the real command handlers, so the journal holds real appends and the topics real
 * Debezium change events.
 */
import { LabError } from "../services/platform/errors.ts";
import { journalSchema } from "../services/event-sourced/journal-schema.ts";
import type { CartView } from "../services/cart/index.ts";
import { planLoad } from "../scenarios/catalog/lag.read-model/load-plan.ts";
import { createCartRecord, recordCommand, recordedView, recordedViews, sameView } from "../scenarios/kit/cart-record.ts";
import type { CdcDriver, EsDriver } from "../scenarios/kit/drivers/subject-driver.ts";
import { markTime } from "../scenarios/kit/time-mark.ts";
import { waitForTopicsToHold } from "../scenarios/kit/topics-caught-up.ts";
import { generateCartWorkload } from "../scenarios/workload/cart-workload.ts";
import type { WorkloadCommand } from "../scenarios/workload/cart-workload.ts";
import type { BenchContext, Benchmark, Measure } from "./harness/benchmark.ts";
import { stopIfInterrupted } from "./harness/repeat.ts";
import { measureOf } from "./measures-support/bench-measure.ts";
import { cdcSubject, esSubject, withBenchSubjects } from "./measures-support/bench-subjects.ts";
import { writeInLanes } from "./measures-support/write-in-lanes.ts";

/** History sizes, in journal events; the topics hold the row change records of the same commands. */
const SIZES = { quick: [300, 1_000], full: [1_000, 10_000, 100_000] } as const;
const WRITERS = 8;
/** Open carts the workload spreads over (a checked-out cart's session ends and a new cart opens). */
const CARTS = 200;
const SEED = 1_000;
/** The workload gives about 0.67 events per command; this many commands per event is ample. */
const COMMANDS_PER_EVENT = 2;
/** Timed answers per measure stop once they add up to this (at least one is timed). */
const REPETITION_BUDGET_MS = 60_000;
/** Debezium streams 100,000 events' worth of row changes on two shared cores: minutes, not seconds. */
const CATCH_UP_TIMEOUT_MS = 600_000;

/** The workload cut where the journal reaches each size, and the question asked at every size. */
interface HistoryPlan {
  workload: WorkloadCommand[];
  /** Commands [0, cut) append `events` events: `size` (the nominal size the ids carry) or the one command more it took to reach it. */
  stages: { size: number; events: number; cut: number }[];
  /** The cart asked about: the one with the most events in the first stage that still changes after it. */
  probeCartId: string;
  /** Its events up to the end of the first stage, where T is marked. */
  probeEventsBeforeT: number;
}

export const benchmark: Benchmark = {
  id: "past-cost",
  title: "The cost of asking the past as history grows: state at T from the journal and from the topics",
  kind: "measure",
  // Its baseline (the journal's answer at the same size) is measured here.
  needs: [],
  async run(context) {
    const sizes = context.quick ? SIZES.quick : SIZES.full;
    const plan = planHistory(sizes);
    return withBenchSubjects(context, `${context.run}_past`, async (subjects) => {
      const journal = await subjects.es(esSubject("es"), "journal");
      const topics = await subjects.cdc(cdcSubject("cdc-plain"), "topics");
      return measureAsHistoryGrows(context, plan, journal, topics);
    });
  },
};

export default benchmark;

function planHistory(sizes: readonly number[]): HistoryPlan {
  const largest = Math.max(...sizes);
  const workload = generateCartWorkload({ seed: SEED, carts: CARTS, commands: largest * COMMANDS_PER_EVENT, cartPrefix: "past-" });
  const record = createCartRecord();
  const stages: HistoryPlan["stages"] = [];
  const eventsPerCart = new Map<string, number>();
  const changedAfterFirstStage = new Set<string>();
  let events = 0;
  for (const [index, entry] of workload.entries()) {
    if (stages.length === sizes.length) break;
    const recorded = recordCommand(record, entry.command);
    events += recorded.events.length;
    const cartId = recorded.command?.cartId;
    if (cartId !== undefined && recorded.events.length > 0) {
      if (stages.length === 0) eventsPerCart.set(cartId, (eventsPerCart.get(cartId) ?? 0) + recorded.events.length);
      else changedAfterFirstStage.add(cartId);
    }
    const size = sizes[stages.length] as number;
    if (events >= size) stages.push({ size, events, cut: index + 1 });
  }
  if (stages.length < sizes.length) throw new LabError("ComponentFailed", `${workload.length} workload commands appended only ${events} events; the plan needs ${largest}`);
  const candidates = [...eventsPerCart].filter(([cartId]) => changedAfterFirstStage.has(cartId)).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const probe = candidates[0];
  if (probe === undefined) throw new LabError("ComponentFailed", "no cart of the first stage changes after it: nothing to ask about the past");
  return { workload: workload.slice(0, stages[stages.length - 1]?.cut ?? 0), stages, probeCartId: probe[0], probeEventsBeforeT: probe[1] };
}

async function measureAsHistoryGrows(context: BenchContext, plan: HistoryPlan, journal: EsDriver, topics: CdcDriver): Promise<Measure[]> {
  const measures: Measure[] = [];
  let written = 0;
  let at: number | null = null;
  let expected: CartView | null = null;
  for (const stage of plan.stages) {
    stopIfInterrupted(context);
    const planned = planLoad(plan.workload.slice(0, stage.cut));
    // A command the rules reject, or one that changes nothing, writes nothing in either design:
    // it is not history, and leaving it out makes a large history quicker to write.
    const commands = planned.commands.slice(written).filter((command) => command.writes);
    await context.progress.step(`write the history up to ${stage.size} journal events (${commands.length} more writing commands, ${WRITERS} writers per design)`, () =>
      Promise.all([writeInLanes(commands, WRITERS, journal.apply, "the journal"), writeInLanes(commands, WRITERS, topics.apply, "the CRUD tables")]),
    );
    written = stage.cut;
    if (at === null) {
      // T is right after the first stage: every later stage adds history the question must skip.
      at = await markTime();
      expected = recordedView(planned.record, plan.probeCartId);
    }
    const stored = await journalEvents(journal);
    if (stored !== stage.events) throw new LabError("ComponentFailed", `the journal holds ${stored} events; the rules decided ${stage.events}`);
    const read = await context.progress.step(`Debezium streams every change to the topics`, () => waitForTopicsToHold(topics, recordedViews(planned.record), CATCH_UP_TIMEOUT_MS));
    const rowChanges = read.events.filter((event) => event.kind === "row").length;
    const asOf = { at };
    const probeExpected = expected;
    const journalTimes = await timeQuestion(context, () => journal.stateAt(plan.probeCartId, asOf), probeExpected, { what: "the journal", warmUp: true });
    // The catch-up wait just read every topic from its start: the replay is as warm as it gets.
    const topicTimes = await timeQuestion(context, () => topics.stateAt(plan.probeCartId, asOf), probeExpected, { what: "the topics", warmUp: false });
    const history = {
      "history: commands that wrote": planned.commands.filter((command) => command.writes).length,
      "history: journal events": stage.events,
      "history: row change records on the topics": rowChanges,
      "history: carts": planned.cartIds.length,
      "question asked at T": "right after the first size's history; the probed cart keeps changing after T",
      "probed cart: journal events before T": plan.probeEventsBeforeT,
      "history written by": `the command handlers, ${WRITERS} writers per design, both designs at once`,
    };
    const journalMeasure = measureOf(
      {
        id: `past.journal.e${stage.size}`,
        label: `state at T from the journal, history of ${stage.size} journal events`,
        unit: "ms",
        better: "lower",
        settings: {
          ...history,
          "a change event is": "one event appended to the journal (a command appends zero, one or more)",
          question: "stateAt(cartId, {at: T}): one read of the cart's stream up to recorded_at <= T (indexed by stream), folded; snapshots are not used for a time",
          "timed answers": journalTimes.length,
        },
      },
      journalTimes,
    );
    measures.push(journalMeasure);
    measures.push(
      measureOf(
        {
          id: `past.topics.e${stage.size}`,
          label: `state at T from the topics (CDC replay), history of ${stage.size} journal events (${rowChanges} row change records)`,
          unit: "ms",
          better: "lower",
          baseline: journalMeasure,
          settings: {
            ...history,
            "a change event is": "one row change record Debezium wrote (a command changes one or more rows: the carts row, a line, a discount)",
            question: "every topic read from its start (the CDC design's only history), grouped by cart and transaction, the cart's row images replayed up to commit time <= T",
            topics: "carts, cart_items, cart_discounts; REPLICA IDENTITY FULL; one partition each; kept in full",
            "timed answers": `${topicTimes.length} (at most the run's repetitions, stopping after ${REPETITION_BUDGET_MS / 1000} s of answers)`,
          },
        },
        topicTimes,
      ),
    );
  }
  return measures;
}

/**
 * Milliseconds per answer; every answer must be the record's cart at T. Repeats up to
 * `context.repetitions` times, but stops once REPETITION_BUDGET_MS of answers have been timed
 * (always at least one): a replay of the largest history takes tens of seconds on two shared
 * cores, and the spread says how many answers the median is of.
 */
async function timeQuestion(context: BenchContext, ask: () => Promise<CartView | null>, expected: CartView | null, options: { what: string; warmUp: boolean }): Promise<number[]> {
  const check = (answer: CartView | null) => {
    if (!sameView(answer, expected)) throw new LabError("ComponentFailed", `${options.what} answered ${JSON.stringify(answer)} for the cart at T; the rules' record says ${JSON.stringify(expected)}`);
  };
  if (options.warmUp) check(await ask());
  const times: number[] = [];
  while (times.length < context.repetitions && (times.length === 0 || sum(times) < REPETITION_BUDGET_MS)) {
    stopIfInterrupted(context);
    const startedAt = performance.now();
    const answer = await ask();
    times.push(performance.now() - startedAt);
    check(answer);
  }
  return times;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

async function journalEvents(journal: EsDriver): Promise<number> {
  const result = await journal.pool.query<{ count: string }>(`SELECT count(*) AS count FROM ${journalSchema(journal.names.journalSchema).events}`);
  return Number(result.rows[0]?.count ?? 0);
}
