import { LabError } from "../../../services/platform/errors.ts";
import { sameView } from "../../kit/cart-record.ts";
import { distributionOf } from "../../kit/distribution.ts";
import { waitForHistoryToHold } from "../../kit/topics-caught-up.ts";
import type { Curve, Evidence, ScalarValue } from "../../model/observations.ts";
import type { OpenedSubject, Scenario, ScenarioStep, StepContext } from "../../model/scenario.ts";
import type { SubjectId } from "../../model/subjects.ts";
import { judgeLongStream } from "./judge.ts";
import { loadCurrent, pastLoader } from "./load-cart-from-store.ts";
import type { CartLoad } from "./load-cart-from-store.ts";
import { STREAM_LENGTHS } from "./long-stream.ts";
import { OBS } from "./observations.ts";
import { recordLongStream } from "./stream-record.ts";
import type { StreamStage } from "./stream-record.ts";

/**
 * snapshot.long-stream: "Loading a cart with 10,000 changes." One cart per subject grows through
 * the subject's own `apply`, stage by stage, to each length of the curve (STREAM_LENGTHS); at
 * each length the operator loads its current state and its state at half that length from the
 * subject's own store, in REPETITIONS rounds over the subjects, and every load is compared with
 * the runner's record. The journal loads with and without snapshots, the CRUD tables read their rows, CDC
 * replays its topics.
 */

/** Reads per median: odd, so the median is a time that was measured. */
export const REPETITIONS = 5;
const CART_ID = "long-cart";
/** Debezium may trail the writes by several thousand change events at the largest length. */
const CATCH_UP_TIMEOUT_MS = 180_000;
const ORDINALS = ["first", "second", "third"] as const;

interface Point {
  x: number;
  y: number;
}

/** What one subject measured so far, one point per stage. */
interface SubjectFigures {
  load: Point[];
  recordsRead: Point[];
  pastLoad: Point[];
  pastRecordsRead: Point[];
  commandMs: Point[];
  loadsMatched: number;
  loadsTotal: number;
  mismatches: ScalarValue[][];
}

interface LongStreamState {
  stages: StreamStage[];
  figures: Map<SubjectId, SubjectFigures>;
}

const MISMATCH_EVIDENCE_ROWS = 6;

function stageOf(context: StepContext<LongStreamState>, index: number): StreamStage {
  const stage = context.state.stages[index];
  if (stage === undefined) throw new LabError("UsageInvalid", `snapshot.long-stream has no stage ${index}`);
  return stage;
}

function figuresOf(context: StepContext<LongStreamState>, subject: SubjectId): SubjectFigures {
  const existing = context.state.figures.get(subject);
  if (existing !== undefined) return existing;
  const created: SubjectFigures = { load: [], recordsRead: [], pastLoad: [], pastRecordsRead: [], commandMs: [], loadsMatched: 0, loadsTotal: 0, mismatches: [] };
  context.state.figures.set(subject, created);
  return created;
}

function curve(points: Point[]): Curve {
  return { kind: "curve", xLabel: "changes", xUnit: "count", points: [...points] };
}

async function grow(context: StepContext<LongStreamState>, subject: OpenedSubject, stage: StreamStage): Promise<void> {
  const startedAt = performance.now();
  for (const entry of stage.commands) {
    const result = await subject.driver.apply(entry.command, entry.metadata);
    // The stream is built of commands the rules accept; a refusal means the subject's cart is not the record's.
    if (!result.ok) {
      throw new LabError("ComponentFailed", `${subject.spec.id} refused ${JSON.stringify(entry.command)}: ${JSON.stringify(result)}`, { details: { subject: subject.spec.id } });
    }
  }
  const elapsedMs = performance.now() - startedAt;
  const msPerCommand = elapsedMs / stage.commands.length;
  const figures = figuresOf(context, subject.spec.id);
  figures.commandMs.push({ x: stage.length, y: round(msPerCommand) });
  context.observe(subject.spec.id, OBS.commandMs, curve(figures.commandMs));
  context.run.progress.note(`${subject.spec.id}: the cart reached ${stage.length} changes (${(elapsedMs / 1_000).toFixed(1)} s, ${msPerCommand.toFixed(2)} ms a command)`);
}

/** One load, timed. */
async function timed(load: () => Promise<CartLoad>): Promise<{ ms: number; load: CartLoad }> {
  const startedAt = performance.now();
  const loaded = await load();
  return { ms: performance.now() - startedAt, load: loaded };
}

function medianOf(samples: readonly number[]): number {
  const distribution = distributionOf(samples);
  if (distribution === null) throw new LabError("UsageInvalid", "no load was repeated");
  return round(distribution.p50);
}

/** The records one load read: the same at every repetition, since nothing is written in between. */
function recordsReadOf(subject: SubjectId, loads: CartLoad[]): number | null {
  const counts = new Set(loads.map((load) => load.recordsRead));
  if (counts.size !== 1) throw new LabError("ComponentFailed", `${subject} read ${[...counts].join(" or ")} records for the same load`, { details: { subject } });
  return [...counts][0] ?? null;
}

function check(figures: SubjectFigures, loads: CartLoad[], expected: StreamStage["expected"], asked: string): void {
  for (const load of loads) {
    figures.loadsTotal += 1;
    if (sameView(load.view, expected)) figures.loadsMatched += 1;
    else if (figures.mismatches.length < MISMATCH_EVIDENCE_ROWS) figures.mismatches.push([asked, describe(expected), describe(load.view)]);
  }
}

function describe(view: CartLoad["view"]): string {
  if (view === null) return "absent";
  const lines = view.items.map((line) => `${line.sku} ×${line.quantity} @${line.unitPriceCents}`).join(", ");
  return `${view.status}; ${lines}; ${view.discounts.length} discounts; total ${view.totalCents}¢`;
}

/** One subject's loads at one stage: every repetition's time and result, now and in the past (null: the design keeps no past). */
interface StageLoads {
  current: { ms: number; load: CartLoad }[];
  past: { ms: number; load: CartLoad }[] | null;
}

/**
 * REPETITIONS rounds; in each, every subject loads the cart now and at half its changes. The
 * rounds interleave the subjects, so that a burst of other work on the machine lands on all of
 * them rather than on the one whose turn it was.
 */
async function loadRounds(context: StepContext<LongStreamState>, stage: StreamStage): Promise<Map<SubjectId, StageLoads>> {
  const loads = new Map<SubjectId, StageLoads>();
  for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
    await context.each(async (subject) => {
      const loadPast = pastLoader(subject.driver);
      const entry = loads.get(subject.spec.id) ?? { current: [], past: loadPast === null ? null : [] };
      loads.set(subject.spec.id, entry);
      entry.current.push(await timed(() => loadCurrent(subject.driver, CART_ID)));
      if (loadPast !== null) entry.past?.push(await timed(() => loadPast(CART_ID, stage.pastVersion)));
    });
  }
  return loads;
}

function recordStage(context: StepContext<LongStreamState>, subject: OpenedSubject, stage: StreamStage, loads: StageLoads | undefined, last: boolean): void {
  const id = subject.spec.id;
  if (loads === undefined) throw new LabError("UsageInvalid", `${id} has no loads at ${stage.length} changes`);
  const figures = figuresOf(context, id);
  const current = loads.current.map((entry) => entry.load);
  check(figures, current, stage.expected, `now, at ${stage.length} changes`);
  const currentMs = medianOf(loads.current.map((entry) => entry.ms));
  const read = recordsReadOf(id, current);
  figures.load.push({ x: stage.length, y: currentMs });
  if (read !== null) figures.recordsRead.push({ x: stage.length, y: read });

  context.observe(id, OBS.pastReadable, loads.past !== null);
  if (loads.past !== null) {
    const past = loads.past.map((entry) => entry.load);
    check(figures, past, stage.expectedPast, `version ${stage.pastVersion} of ${stage.length}`);
    figures.pastLoad.push({ x: stage.length, y: medianOf(loads.past.map((entry) => entry.ms)) });
    const pastRead = recordsReadOf(id, past);
    if (pastRead !== null) figures.pastRecordsRead.push({ x: stage.length, y: pastRead });
  }

  context.observe(id, OBS.repetitions, REPETITIONS);
  context.observe(id, OBS.loadMs, curve(figures.load));
  if (figures.recordsRead.length > 0) context.observe(id, OBS.recordsRead, curve(figures.recordsRead));
  if (figures.pastLoad.length > 0) context.observe(id, OBS.pastLoadMs, curve(figures.pastLoad));
  if (figures.pastRecordsRead.length > 0) context.observe(id, OBS.pastRecordsRead, curve(figures.pastRecordsRead));
  context.observe(id, OBS.loadsMatched, figures.loadsMatched);
  context.observe(id, OBS.loadsTotal, figures.loadsTotal);
  if (!last) return;
  context.observe(id, OBS.largestLength, stage.length);
  context.observe(id, OBS.loadMsAtLargest, currentMs);
  if (read !== null) context.observe(id, OBS.recordsReadAtLargest, read);
  context.evidence(id, curvesEvidence(figures));
  if (figures.mismatches.length > 0) {
    context.evidence(id, { id: "loads-differ", title: `First loads of ${subject.spec.label} that differ from the record`, columns: ["asked", "the record says", "the store gave"], rows: figures.mismatches });
  }
}

function curvesEvidence(figures: SubjectFigures): Evidence {
  const at = (points: Point[], x: number): number | null => points.find((point) => point.x === x)?.y ?? null;
  return {
    id: "load-by-length",
    title: `Loads by the cart's changes (median of ${REPETITIONS} reads each)`,
    columns: ["changes", "load now (ms)", "records read now", "load at half the changes (ms)", "records read for it", "ms a command while the cart grew"],
    rows: figures.load.map(({ x }) => [x, at(figures.load, x), at(figures.recordsRead, x), at(figures.pastLoad, x), at(figures.pastRecordsRead, x), at(figures.commandMs, x)]),
  };
}

function round(ms: number): number {
  return Math.round(ms * 1_000) / 1_000;
}

/** The three steps of one length of the curve: write up to it, let Debezium stream it, load. */
function stageSteps(index: 0 | 1 | 2): ScenarioStep<LongStreamState>[] {
  const ordinal = ORDINALS[index];
  return [
    {
      actor: "app",
      does: `grows the cart to the ${ordinal} length of the curve, one command at a time through each subject's apply`,
      run: (context) => context.each((subject) => grow(context, subject, stageOf(context, index))),
    },
    {
      actor: "debezium",
      does: `streams the cart's changes: waits until each CDC subject's topics give the recorded cart at the ${ordinal} length`,
      run: (context) =>
        context.each((subject) => waitForHistoryToHold(subject.driver, new Map([[CART_ID, stageOf(context, index).expected]]), CATCH_UP_TIMEOUT_MS)),
    },
    {
      actor: "operator",
      does: `loads the cart now and at half its changes from each subject's own store, ${REPETITIONS} rounds over the subjects, and compares with the record`,
      run: async (context) => {
        const stage = stageOf(context, index);
        const loads = await loadRounds(context, stage);
        await context.each(async (subject) => recordStage(context, subject, stage, loads.get(subject.spec.id), index === context.state.stages.length - 1));
      },
    },
  ];
}

export const snapshotLongStream: Scenario<LongStreamState> = {
  id: "snapshot.long-stream",
  claim:
    "Loading a cart with thousands of changes (3,000 at the default size, 10,000 at large): how long each design takes to give a long cart's current state, and its state at half its changes, from its own store, as the cart grows (journal with and without snapshots, CRUD row read, CDC topics replayed).",
  subjects: ["es", "es-no-snapshots", "crud", "cdc-plain"],
  init(run) {
    return { stages: recordLongStream(CART_ID, STREAM_LENGTHS[run.size]), figures: new Map() };
  },
  steps: [...stageSteps(0), ...stageSteps(1), ...stageSteps(2)],
  judge: judgeLongStream,
  headline: { observation: OBS.loadMs, label: `time to load the cart's current state, by its changes (ms, median of ${REPETITIONS})` },
};
