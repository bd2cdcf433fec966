/**
 * Commit -> consumer latency at a steady 200 commands/s: how long after a command's commit
 * returned its change has been applied by the read model's feeder, for CDC with Debezium's
 * default polling, CDC with the tuned polling, and the journal's projection woken by NOTIFY.
 *
 * The feeders, the load and the matching of writes to the transactions that carried them are the
 * lag.read-model scenario's (scenarios/catalog/lag.read-model): the same code, only the rate and
 * the subjects' polling differ, so a figure here reads like one there.
 */
import { TUNED_POLLING } from "../services/crud-cdc/cdc-variant.ts";
import { LabError, describeError } from "../services/platform/errors.ts";
import { waitFor } from "../services/platform/wait-for.ts";
import { planLoad } from "../scenarios/catalog/lag.read-model/load-plan.ts";
import type { PlannedCommand } from "../scenarios/catalog/lag.read-model/load-plan.ts";
import { matchWrites } from "../scenarios/catalog/lag.read-model/match-writes.ts";
import type { MeasuredWrite } from "../scenarios/catalog/lag.read-model/match-writes.ts";
import { watchReadModel } from "../scenarios/catalog/lag.read-model/read-model-watch.ts";
import type { ReadModelWatch } from "../scenarios/catalog/lag.read-model/read-model-watch.ts";
import { runSteadyLoad } from "../scenarios/catalog/lag.read-model/steady-load.ts";
import { recordedView, sameView } from "../scenarios/kit/cart-record.ts";
import { distributionOf } from "../scenarios/kit/distribution.ts";
import type { SubjectDriver } from "../scenarios/kit/drivers/subject-driver.ts";
import type { CdcSubjectSpec } from "../scenarios/model/subjects.ts";
import { generateCartWorkload } from "../scenarios/workload/cart-workload.ts";
import type { BenchContext, Benchmark, Measure } from "./harness/benchmark.ts";
import { stopIfInterrupted } from "./harness/repeat.ts";
import { measureOf } from "./measures-support/bench-measure.ts";
import type { BenchSubjects } from "./measures-support/bench-subjects.ts";
import { cdcSubject, esSubject, withBenchSubjects } from "./measures-support/bench-subjects.ts";
import { summarizeRepetitions } from "./measures-support/repetition-summary.ts";

const RATE_PER_SECOND = 200;
/** Seconds of load per repetition: each repetition gives RATE x this many commands, about two thirds of them writes (samples). */
const LOAD_SECONDS = { quick: 1, full: 6 } as const;
/**
 * An untimed load first, per subject: the consumer's and the handler's first seconds (JIT,
 * connections) are not their pace. None in the quick suite, whose figures only show the shape.
 */
const WARM_UP_SECONDS = { quick: 0, full: 1 } as const;
/** Open carts the load spreads over: one cart's commands wait for each other, so enough carts keep the schedule open-loop. */
const CARTS = 50;
const SEED = 200;
const PERCENTILES = ["p50", "p95", "p99", "max"] as const;
/** The targets: tuned CDC p99 at most 100 ms; the projection's p99 at most 0.2x tuned CDC's. */
const TUNED_P99_TARGET_MS = 100;
const PROJECTION_RATIO_TARGET = 0.2;
/** Below this share of the scheduled rate the subject was saturated, and its lag is a queue's (the scenario's bound). */
const SUSTAINED_SHARE = 0.95;
const WARM_UP_TIMEOUT_MS = 60_000;

type FeederKey = "cdc-default" | "cdc-tuned" | "projection";

/** The CDC subject both CDC feeders start from: REPLICA IDENTITY FULL, no intent messages, no transaction metadata. */
const plainCdc = cdcSubject("cdc-plain");
/** The same subject with the tuned polling alone, so the two CDC figures differ by the polling and nothing else. */
const tunedCdc: CdcSubjectSpec = { ...plainCdc, id: "cdc-tuned", label: "CDC, REPLICA IDENTITY FULL, tuned polling", cdc: { ...plainCdc.cdc, polling: "tuned" } };

interface Feeder {
  key: FeederKey;
  label: string;
  open(subjects: BenchSubjects): Promise<SubjectDriver>;
  settings: Measure["settings"];
}

const FEEDERS: readonly Feeder[] = [
  {
    key: "cdc-default",
    label: "CDC, Debezium's default polling",
    open: (subjects) => subjects.cdc(plainCdc, "cdc_default"),
    settings: {
      feeder: "kafkajs consumer of Debezium's topics applying each change to a read-model table in PostgreSQL",
      "poll.interval.ms": "500 (Debezium's default)",
      "max.batch.size": "2048 (Debezium's default)",
      "producer linger.ms": "5 (Kafka 4's producer default; Connect does not override it)",
    },
  },
  {
    key: "cdc-tuned",
    label: "CDC, tuned polling",
    open: (subjects) => subjects.cdc(tunedCdc, "cdc_tuned"),
    settings: {
      feeder: "kafkajs consumer of Debezium's topics applying each change to a read-model table in PostgreSQL",
      "poll.interval.ms": TUNED_POLLING["poll.interval.ms"],
      "max.batch.size": `${TUNED_POLLING["max.batch.size"]} (Debezium's default too)`,
      "producer linger.ms": TUNED_POLLING["producer.override.linger.ms"],
    },
  },
  {
    key: "projection",
    label: "journal's projection woken by NOTIFY",
    open: (subjects) => subjects.es(esSubject("es"), "projection"),
    settings: {
      feeder: "cart_summaries projection pass, woken by LISTEN/NOTIFY (polling every 1,000 ms behind it)",
      "wake-up": "NOTIFY from the append's transaction",
    },
  },
];

/** One repetition's lag samples and the rate the subject carried. */
interface LoadRun {
  lagsMs: number[];
  /** Per write, commit -> the feeder took it in hand (Debezium processed its last change; the applying pass started): the lag's first part. */
  handOverMs: number[];
  carriedPerSecond: number;
}

export const benchmark: Benchmark = {
  id: "latency-commit-to-consumer",
  title: `Commit -> consumer latency at a steady ${RATE_PER_SECOND} commands/s: CDC (default and tuned polling) and the journal's projection (NOTIFY)`,
  kind: "measure",
  // Its one baseline (tuned CDC's p99, for the projection's) is measured here.
  needs: [],
  async run(context) {
    const seconds = context.quick ? LOAD_SECONDS.quick : LOAD_SECONDS.full;
    const runs = new Map<FeederKey, LoadRun[]>();
    // One subject at a time, disposed before the next opens: only one connector of this
    // benchmark streams while a load runs.
    for (const feeder of FEEDERS) {
      const measured = await withBenchSubjects(context, `${context.run}_lat`, async (subjects) => {
        const driver = await context.progress.step(`open ${feeder.label}`, () => feeder.open(subjects));
        return measureFeeder(context, feeder, driver, seconds);
      });
      runs.set(feeder.key, measured);
    }
    return measuresOf(runs, seconds);
  },
};

export default benchmark;

async function measureFeeder(context: BenchContext, feeder: Feeder, driver: SubjectDriver, seconds: number): Promise<LoadRun[]> {
  const started = watchReadModel(driver, context.logger);
  if (started === null) throw new LabError("UsageInvalid", `${feeder.label} has no read model to measure`);
  const watch = await started;
  let runs: LoadRun[];
  try {
    runs = await loadRepetitions(context, feeder, driver, watch, seconds);
  } catch (error) {
    // The load's failure is the one to report; a feeder that also fails to stop is logged beside it.
    await watch.stop().catch((stopError: unknown) => context.logger.warn({ feeder: feeder.key, err: describeError(stopError) }, "the read model did not stop cleanly after a failure"));
    throw error;
  }
  await watch.stop();
  return runs;
}

async function loadRepetitions(context: BenchContext, feeder: Feeder, driver: SubjectDriver, watch: ReadModelWatch, seconds: number): Promise<LoadRun[]> {
  const warmUpSeconds = context.quick ? WARM_UP_SECONDS.quick : WARM_UP_SECONDS.full;
  await context.progress.step(`${feeder.label}: warm-up cart visible, then ${warmUpSeconds} s of untimed load`, async () => {
    await warmUp(driver, watch);
    if (warmUpSeconds > 0) await loadOnce(context, driver, watch, warmUpSeconds, "warm-up-");
  });
  const runs: LoadRun[] = [];
  for (let repetition = 0; repetition < context.repetitions; repetition += 1) {
    stopIfInterrupted(context);
    const run = await context.progress.step(
      `${feeder.label}: ${seconds} s at ${RATE_PER_SECOND}/s (repetition ${repetition + 1} of ${context.repetitions})`,
      () => loadOnce(context, driver, watch, seconds, `rep${repetition}-`),
      (done) => `p99 ${distributionOf(done.lagsMs)?.p99 ?? "?"} ms (hand-over p99 ${distributionOf(done.handOverMs)?.p99 ?? "?"} ms) over ${done.lagsMs.length} writes, carried ${done.carriedPerSecond}/s`,
    );
    if (run.carriedPerSecond < SUSTAINED_SHARE * RATE_PER_SECOND) {
      context.logger.warn({ feeder: feeder.key, carriedPerSecond: run.carriedPerSecond }, "the subject did not carry the scheduled rate: its lag is a queue's");
    }
    runs.push(run);
  }
  return runs;
}

/** One cart outside the loads, written until the read model shows it: the feeder is then joined and streaming. */
async function warmUp(driver: SubjectDriver, watch: ReadModelWatch): Promise<void> {
  const cartId = "warm-up";
  const result = await driver.apply({ type: "AddItem", cartId, sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 1 }, { actor: "bench-warm-up" });
  if (!result.ok) throw new LabError("ComponentFailed", `the warm-up command was rejected: ${result.error.message}`);
  const expected = await driver.current(cartId);
  await waitFor(async () => (sameView(await watch.view(cartId), expected) ? true : undefined), { what: "the read model to show the warm-up cart", timeoutMs: WARM_UP_TIMEOUT_MS, intervalMs: 20 });
}

/**
 * The lag.read-model load without its read-right-after (read-your-writes is the scenario's
 * question, and that read would add load here): each write's commit time, then the feeder's own
 * record of when each transaction became visible, matched write by write.
 */
/** How long the read model may take to show the whole load once it has been written. */
const SETTLE_TIMEOUT_MS = 120_000;

async function loadOnce(context: BenchContext, driver: SubjectDriver, watch: ReadModelWatch, seconds: number, cartPrefix: string): Promise<LoadRun> {
  const plan = planLoad(generateCartWorkload({ seed: SEED, carts: CARTS, commands: RATE_PER_SECOND * seconds, cartPrefix }));
  const writes: MeasuredWrite[] = [];
  const load = await runSteadyLoad(plan.commands, { ratePerSecond: RATE_PER_SECOND, laneOf: (planned) => planned.lane, ...(context.signal === undefined ? {} : { signal: context.signal }) }, async (planned: PlannedCommand) => {
    const result = await driver.apply(planned.entry.command, planned.entry.metadata);
    const committedAt = Date.now();
    if (result.ok !== planned.accepted) {
      throw new LabError("ComponentFailed", `${driver.spec.id} answered ${JSON.stringify(result)} to ${JSON.stringify(planned.entry.command)}; the rules ${planned.accepted ? "accept" : "reject"} it`);
    }
    if (planned.writes) writes.push({ cartId: planned.lane, nth: planned.nth, commandType: String(planned.entry.command["type"]), committedAt, readRightAfter: {} });
  });
  // settle() waits for what the topics hold; a write Debezium has not streamed yet (its poll is
  // 500 ms by default) is not there, and the last writes would go missing. The read model showing
  // every cart as the rules leave it comes first.
  await waitFor(
    async () => {
      for (const cartId of plan.cartIds) if (!sameView(await watch.view(cartId), recordedView(plan.record, cartId))) return undefined;
      return true;
    },
    { what: "the read model to show every cart of the load", timeoutMs: SETTLE_TIMEOUT_MS, intervalMs: 50 },
  );
  const visible = await watch.settle();
  const carts = new Set(plan.cartIds);
  const matched = matchWrites(writes, new Map([...visible].filter(([cartId]) => carts.has(cartId))));
  return { lagsMs: matched.map((write) => write.lagMs), handOverMs: matched.map((write) => write.handOverMs), carriedPerSecond: load.perSecond };
}

function measuresOf(runs: ReadonlyMap<FeederKey, LoadRun[]>, seconds: number): Measure[] {
  const measures: Measure[] = [];
  const byId = new Map<string, Measure>();
  for (const feeder of FEEDERS) {
    const feederRuns = runs.get(feeder.key) ?? [];
    const distributions = feederRuns.map((run) => {
      const distribution = distributionOf(run.lagsMs);
      if (distribution === null) throw new LabError("ComponentFailed", `${feeder.label}: a repetition measured no write`);
      return distribution;
    });
    const settings: Measure["settings"] = {
      ...feeder.settings,
      "scheduled commands/s": RATE_PER_SECOND,
      "carried commands/s (median)": summarizeRepetitions(feederRuns.map((run) => run.carriedPerSecond)).value,
      "load seconds per repetition": seconds,
      "open carts": CARTS,
      "writes measured per repetition (median)": summarizeRepetitions(distributions.map((distribution) => distribution.count)).value,
      [`hand-over p50 / p99 ms (median): commit -> ${feeder.key === "projection" ? "the applying pass started" : "Debezium processed the change (envelope ts_ms)"}`]: handOverFigures(feederRuns),
      writers: "one lane per cart, open loop (lag.read-model's steady load)",
      "latency is": "commit returned to the application -> the feeder applied the write's whole transaction (same clock, same process)",
      "percentile over repetitions": "median of each repetition's nearest-rank percentile",
      ...(feeder.key === "projection" ? {} : { "captured tables": "carts, cart_items, cart_discounts; REPLICA IDENTITY FULL; intent messages and transaction metadata off" }),
    };
    for (const percentile of PERCENTILES) {
      const id = `latency.${feeder.key}.${percentile}`;
      const isTunedP99 = feeder.key === "cdc-tuned" && percentile === "p99";
      const isProjectionP99 = feeder.key === "projection" && percentile === "p99";
      const measure = measureOf(
        {
          id,
          label: `commit -> consumer, ${feeder.label}, ${percentile}`,
          unit: "ms",
          better: "lower",
          baseline: isProjectionP99 ? (byId.get("latency.cdc-tuned.p99") ?? null) : null,
          target: isTunedP99 ? TUNED_P99_TARGET_MS : isProjectionP99 ? PROJECTION_RATIO_TARGET : null,
          settings,
        },
        distributions.map((distribution) => distribution[percentile]),
      );
      byId.set(id, measure);
      measures.push(measure);
    }
  }
  return measures;
}

/** Where the lag goes: its first part (until the feeder took the write in hand), p50 and p99, each the median over repetitions. */
function handOverFigures(runs: readonly LoadRun[]): string {
  const distributions = runs.map((run) => distributionOf(run.handOverMs));
  const median = (pick: (distribution: NonNullable<(typeof distributions)[number]>) => number) =>
    Math.round(summarizeRepetitions(distributions.flatMap((distribution) => (distribution === null ? [] : [pick(distribution)]))).value);
  return `${median((distribution) => distribution.p50)} / ${median((distribution) => distribution.p99)}`;
}
