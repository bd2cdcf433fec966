import { decide, evolve, initialCartState, parseCommand, toCartView } from "../../services/cart/index.ts";
import type { CartState, CartView } from "../../services/cart/index.ts";
import { buildCdcHistory, cdcStateAsOf } from "../../services/crud-cdc/cdc-history.ts";
import type { CdcAsOf, CdcHistory } from "../../services/crud-cdc/cdc-history.ts";
import { cdcTopics } from "../../services/crud-cdc/cdc-variant.ts";
import type { CdcTopics } from "../../services/crud-cdc/cdc-variant.ts";
import type { ChangeEvent } from "../../services/crud-cdc/change-event.ts";
import { LabError, isLabError } from "../../services/platform/errors.ts";
import { waitFor } from "../../services/platform/wait-for.ts";
import { markTime } from "../runner/time-mark.ts";
import type { Evidence, SubjectOutcome, Verdict } from "../model/observations.ts";
import { SIZES } from "../model/scenario.ts";
import type { OpenedSubject, RunContext, Scenario, StepContext } from "../model/scenario.ts";
import type { SubjectId } from "../model/subjects.ts";
import { generateCartWorkload } from "../workload/cart-workload.ts";
import type { WorkloadCommand } from "../workload/cart-workload.ts";

/**
 * reconstruct.as-of: "What was cart X at time T, and at version N?" Every subject gets the same
 * seeded workload; the runner keeps its own record of every cart after every command (the pure
 * rules, no store involved), notes probe times while it writes, and then asks each subject for
 * the probed carts at those times and at a few versions. A probe matches when the answer equals
 * the record exactly.
 */

/** The runner's own record of the workload: what every cart was, without asking any design. */
export interface WorkloadRecord {
  workload: WorkloadCommand[];
  /** Probe point k lies after command `(k + 1) * probeEvery - 1`; its expected views of the probed carts that existed then. */
  probePoints: { afterCommand: number; views: Map<string, CartView> }[];
  /** Every cart's view after each of its writes: index v - 1 is version v. */
  versions: Map<string, CartView[]>;
  probedCartIds: string[];
  /** Every cart the workload wrote to, and how it ended. */
  finalViews: Map<string, CartView>;
}

interface ReconstructState {
  record: WorkloadRecord;
  /** When each probe point was reached, per subject (each subject runs the workload on its own). */
  probeTimes: Map<SubjectId, number[]>;
  /** The topics' end offsets once every workload change arrived: what compaction is measured against. */
  workloadEnds: Map<SubjectId, Map<string, bigint>>;
}

const PROBE_EVERY = 10;
const CART_PREFIX = "cart-";
/** A cart outside the record: the shop's other traffic while Kafka's log cleaner is waited for. */
const TRAFFIC_CART = `${CART_PREFIX}traffic`;
const CATCH_UP_TIMEOUT_MS = 60_000;
const COMPACTION_TIMEOUT_MS = 60_000;
const MISMATCH_EVIDENCE_ROWS = 6;

export function recordWorkload(workload: WorkloadCommand[], probeEvery: number): WorkloadRecord {
  const states = new Map<string, CartState>();
  const versions = new Map<string, CartView[]>();
  const probePoints: WorkloadRecord["probePoints"] = [];
  const cartIds: string[] = [];
  for (const [index, entry] of workload.entries()) {
    const parsed = parseCommand(entry.command);
    if (parsed.ok) {
      const { cartId } = parsed.command;
      const before = states.get(cartId) ?? initialCartState();
      const decision = decide(parsed.command, before);
      if (decision.ok && decision.events.length > 0) {
        const after = decision.events.reduce(evolve, before);
        const view = toCartView(after);
        if (view === null) throw new Error(`the record of cart ${cartId} is empty after a write`);
        states.set(cartId, after);
        if (!versions.has(cartId)) cartIds.push(cartId);
        versions.set(cartId, [...(versions.get(cartId) ?? []), view]);
      }
    }
    if ((index + 1) % probeEvery === 0) {
      const views = new Map<string, CartView>();
      for (const [cartId, cartVersions] of versions) {
        const latest = cartVersions.at(-1);
        if (latest !== undefined) views.set(cartId, latest);
      }
      probePoints.push({ afterCommand: index, views });
    }
  }
  // Every other cart, in the order the workload opened them: early and late carts alike.
  const probedCartIds = cartIds.filter((_cartId, index) => index % 2 === 0);
  for (const point of probePoints) {
    for (const cartId of point.views.keys()) if (!probedCartIds.includes(cartId)) point.views.delete(cartId);
  }
  const finalViews = new Map<string, CartView>();
  for (const [cartId, cartVersions] of versions) {
    const latest = cartVersions.at(-1);
    if (latest !== undefined) finalViews.set(cartId, latest);
  }
  return { workload, probePoints, versions, probedCartIds, finalViews };
}

/** A probe: one question with exactly one right answer in the record. */
export interface Probe {
  cartId: string;
  asOf: { at: number } | { version: number };
  expected: CartView;
}

export function probesOf(record: WorkloadRecord, probeTimes: readonly number[]): Probe[] {
  const probes: Probe[] = [];
  for (const [index, point] of record.probePoints.entries()) {
    const at = probeTimes[index];
    if (at === undefined) throw new LabError("UsageInvalid", `probe point ${index} was never reached`);
    for (const [cartId, expected] of point.views) probes.push({ cartId, asOf: { at }, expected });
  }
  for (const cartId of record.probedCartIds) {
    const cartVersions = record.versions.get(cartId) ?? [];
    // The first, a middle and the last version: the ends are where a late start or compaction shows.
    for (const version of new Set([1, Math.ceil(cartVersions.length / 2), cartVersions.length])) {
      const expected = cartVersions[version - 1];
      if (expected !== undefined) probes.push({ cartId, asOf: { version }, expected });
    }
  }
  return probes;
}

/**
 * Records Kafka no longer holds among the offsets below `ends` (per "topic/partition"; without an
 * end, everything up to the last record read). Offsets stay where they were when compaction
 * drops a record, so each missing offset is one record the history lost.
 */
export function recordsRemoved(events: readonly ChangeEvent[], ends?: ReadonlyMap<string, bigint>): number {
  const kept = new Map<string, bigint>();
  const last = new Map<string, bigint>();
  for (const event of events) {
    const key = `${event.position.topic}/${event.position.partition}`;
    const offset = BigInt(event.position.offset);
    if ((last.get(key) ?? -1n) < offset) last.set(key, offset);
    if (ends === undefined || offset < (ends.get(key) ?? 0n)) kept.set(key, (kept.get(key) ?? 0n) + 1n);
  }
  let removed = 0n;
  for (const [key, end] of ends ?? new Map([...last].map(([partition, offset]) => [partition, offset + 1n] as const))) removed += end - (kept.get(key) ?? 0n);
  return Number(removed);
}

export function endOffsets(events: readonly ChangeEvent[]): Map<string, bigint> {
  const ends = new Map<string, bigint>();
  for (const event of events) {
    const key = `${event.position.topic}/${event.position.partition}`;
    const next = BigInt(event.position.offset) + 1n;
    if ((ends.get(key) ?? 0n) < next) ends.set(key, next);
  }
  return ends;
}

function topicsOf(subject: OpenedSubject): CdcTopics {
  // The same derivation as the runner's openSubject: the variant is named after the CRUD schema.
  return cdcTopics({ name: subject.crudSchema.replace(/_crud$/, ""), schema: subject.crudSchema, ...subject.spec.variant });
}

async function applyWorkload(context: StepContext<ReconstructState>, subject: OpenedSubject, from: number, to: number): Promise<void> {
  const { record, probeTimes } = context.state;
  const design = subject.spec.design === "es" ? "es" : "crud";
  const times = probeTimes.get(subject.spec.id) ?? [];
  probeTimes.set(subject.spec.id, times);
  for (let index = from; index < to; index += 1) {
    const entry = record.workload[index];
    if (entry === undefined) break;
    // Rejections are part of the workload; the record already knows which commands write.
    await subject.designs.applyRaw(design, entry.command, entry.metadata);
    if ((index + 1) % PROBE_EVERY === 0) {
      // "State at T" has one right answer only if no commit shares T's millisecond.
      times.push(await markTime());
    }
  }
}

async function readHistory(subject: OpenedSubject): Promise<{ events: ChangeEvent[]; history: CdcHistory }> {
  // Kafka is the CDC design's only history: one read of its topics from the oldest record kept.
  const events = await subject.designs.changeFeed.readToEnd(topicsOf(subject).all);
  return { events, history: buildCdcHistory(events) };
}

function sameView(a: CartView | null, b: CartView | null): boolean {
  // Every design builds its view with toCartView's fixed key order, so equal carts print equal.
  return JSON.stringify(a) === JSON.stringify(b);
}

function describeView(view: CartView | null): string {
  if (view === null) return "absent";
  const quantity = view.items.reduce((sum, line) => sum + line.quantity, 0);
  return `${view.status}, ${view.items.length} lines (${quantity} items), ${view.discounts.length} discounts, total ${view.totalCents}¢`;
}

type Answer = (probe: Probe) => Promise<CartView | null>;

async function askProbes(context: StepContext<ReconstructState>, subject: OpenedSubject, probes: Probe[], answer: Answer, startedAt: number): Promise<void> {
  const id = subject.spec.id;
  const mismatches: Evidence["rows"] = [];
  let matched = 0;
  let timeMatched = 0;
  let versionMatched = 0;
  for (const probe of probes) {
    let answered: CartView | null;
    try {
      answered = await answer(probe);
    } catch (error) {
      // The design refusing the question is the measurement (the CRUD tables keep no past).
      if (isLabError(error) && error.code === "Unsupported") {
        context.unsupported(id, error.message);
        return;
      }
      throw error;
    }
    if (sameView(answered, probe.expected)) {
      matched += 1;
      if ("at" in probe.asOf) timeMatched += 1;
      else versionMatched += 1;
    } else if (mismatches.length < MISMATCH_EVIDENCE_ROWS) {
      const asked = "at" in probe.asOf ? new Date(probe.asOf.at).toISOString() : `version ${probe.asOf.version}`;
      mismatches.push([asked, probe.cartId, describeView(probe.expected), describeView(answered)]);
    }
  }
  const elapsed = performance.now() - startedAt;
  const timeTotal = probes.filter((probe) => "at" in probe.asOf).length;
  context.observe(id, "probesTotal", probes.length, "count");
  context.observe(id, "probesMatched", matched, "count");
  context.observe(id, "probesLost", probes.length - matched, "count");
  // Unrounded: exactly 100 only when every probe matched, and above 0 as soon as one did.
  context.observe(id, "matchPercent", probes.length === 0 ? 0 : (100 * matched) / probes.length, "percent");
  context.observe(id, "timeProbesTotal", timeTotal, "count");
  context.observe(id, "timeProbesMatched", timeMatched, "count");
  context.observe(id, "versionProbesTotal", probes.length - timeTotal, "count");
  context.observe(id, "versionProbesMatched", versionMatched, "count");
  context.observe(id, "msPerProbe", probes.length === 0 ? 0 : Number((elapsed / probes.length).toFixed(3)), "ms");
  if (mismatches.length > 0) {
    context.evidence(id, {
      id: "probes-lost",
      title: `First probes ${subject.spec.label} answered differently from the record`,
      columns: ["asked as of", "cartId", "the record says", "the design answered"],
      rows: mismatches,
    });
  }
}

function numberObservation(outcome: SubjectOutcome, name: string): number {
  const value = outcome.observations[name]?.value;
  if (typeof value !== "number") throw new LabError("DecodeFailed", `${outcome.subject} has no numeric observation ${name}`);
  return value;
}

/** One decimal, rounded down, so a figure never shows 100% while a probe was lost. */
function percentFigure(percent: number): string {
  return `${Math.floor(percent * 10) / 10}%`;
}

export function judgeReconstruct(outcome: SubjectOutcome): Verdict {
  const percent = numberObservation(outcome, "matchPercent");
  const matched = numberObservation(outcome, "probesMatched");
  const total = numberObservation(outcome, "probesTotal");
  const figure = `${percentFigure(percent)} (${matched}/${total})`;
  if (percent === 100) return { symbol: "full", figure };
  if (percent > 0) return { symbol: "partial", figure };
  return { symbol: "none", figure };
}

function sizeOf(run: RunContext): { commands: number; carts: number } {
  const scale = SIZES[run.size];
  return { commands: 150 * scale, carts: 5 * scale };
}

export const reconstructAsOf: Scenario<ReconstructState> = {
  id: "reconstruct.as-of",
  claim: "What was cart X at time T, and at version N? Each design is asked for the probed carts at recorded times and versions; its answers are compared with the runner's own record.",
  subjects: ["es", "crud", "cdc-plain", "cdc-default", "cdc-compacted", "cdc-late"],
  init(run) {
    const { commands, carts } = sizeOf(run);
    const workload = generateCartWorkload({ seed: run.seed, carts, commands, cartPrefix: CART_PREFIX });
    return { record: recordWorkload(workload, PROBE_EVERY), probeTimes: new Map(), workloadEnds: new Map() };
  },
  steps: [
    {
      actor: "app",
      does: "applies the first half of the seeded workload to every subject, noting probe times",
      run: (context) => context.each((subject) => applyWorkload(context, subject, 0, Math.floor(context.state.record.workload.length / 2))),
    },
    {
      actor: "debezium",
      does: "starts the late connector halfway through the workload (an initial snapshot)",
      run: (context) =>
        context.each(async (subject) => {
          if (subject.spec.design === "cdc" && subject.spec.connectorStart === "late") await subject.designs.startCdc();
        }),
    },
    {
      actor: "app",
      does: "applies the second half of the workload to every subject, noting probe times",
      run: (context) => context.each((subject) => applyWorkload(context, subject, Math.floor(context.state.record.workload.length / 2), context.state.record.workload.length)),
    },
    {
      actor: "debezium",
      does: "streams every change to Kafka (waits until each CDC subject's topics end as the record does)",
      run: (context) =>
        context.each(async (subject) => {
          if (subject.spec.design !== "cdc") return;
          const { finalViews } = context.state.record;
          const events = await waitFor(
            async () => {
              const read = await readHistory(subject);
              const caughtUp = [...finalViews].every(([cartId, view]) => sameView(cdcStateAsOf(read.history.get(cartId) ?? [], null), view));
              return caughtUp ? read.events : undefined;
            },
            { what: `${subject.spec.id}'s topics to hold every change of the workload`, timeoutMs: CATCH_UP_TIMEOUT_MS, intervalMs: 500 },
          );
          context.state.workloadEnds.set(subject.spec.id, endOffsets(events));
        }),
    },
    {
      actor: "clock",
      does: "lets time pass, the shop writing to another cart, until Kafka's log cleaner compacted the compacted topics",
      run: (context) =>
        context.each(async (subject) => {
          if (subject.spec.variant.retention !== "compacted" || subject.spec.design !== "cdc") return;
          const ends = context.state.workloadEnds.get(subject.spec.id);
          if (ends === undefined) throw new LabError("UsageInvalid", `${subject.spec.id} has no workload end offsets`);
          const startedAt = Date.now();
          const traffic: Record<string, unknown>[] = [
            { type: "AddItem", cartId: TRAFFIC_CART, sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 1 },
            { type: "ApplyDiscount", cartId: TRAFFIC_CART, discountId: "traffic", sku: "kiwi", minQuantity: 1, amountCents: -1 },
            { type: "RevokeDiscount", cartId: TRAFFIC_CART, discountId: "traffic" },
            { type: "RemoveItem", cartId: TRAFFIC_CART, sku: "kiwi" },
          ];
          try {
            await waitFor(
              async () => {
                // Kafka never compacts a topic's active segment, and a segment closes only when a
                // record arrives after segment.ms: a live shop's next writes are what close it.
                for (const command of traffic) await subject.designs.applyRaw("crud", command, { actor: "shop-traffic" });
                const removed = recordsRemoved(await subject.designs.changeFeed.readToEnd(topicsOf(subject).all), ends);
                return removed > 0 ? removed : undefined;
              },
              { what: `Kafka's log cleaner to compact ${subject.spec.id}'s topics`, timeoutMs: COMPACTION_TIMEOUT_MS, intervalMs: 1_000 },
            );
          } catch (error) {
            // Not a failure of the subject: an uncompacted topic is a measurement (compactionHappened: false below).
            if (!(isLabError(error) && error.code === "Timeout")) throw error;
            context.run.logger.warn({ subject: subject.spec.id, err: error.message }, "no compaction within the bound");
          }
          context.observe(subject.spec.id, "compactionWaitMs", Date.now() - startedAt, "ms");
        }),
    },
    {
      actor: "operator",
      does: "asks every subject for the probed carts at each probe time and at versions, and compares with the record",
      run: (context) =>
        context.each(async (subject) => {
          const id = subject.spec.id;
          const probes = probesOf(context.state.record, context.state.probeTimes.get(id) ?? []);
          const startedAt = performance.now();
          if (subject.spec.design === "cdc") {
            const { events, history } = await readHistory(subject);
            const snapshotRecords = events.filter((event) => event.kind === "row" && event.op === "r").length;
            const removed = recordsRemoved(events, context.state.workloadEnds.get(id));
            context.observe(id, "changeEventsRead", events.length, "count");
            context.observe(id, "historyStartsWithSnapshot", snapshotRecords > 0, "boolean");
            context.observe(id, "snapshotRecords", snapshotRecords, "count");
            context.observe(id, "compactionHappened", removed > 0, "boolean");
            context.observe(id, "recordsCompactedAway", removed, "count");
            const answer: Answer = async (probe) => cdcStateAsOf(history.get(probe.cartId) ?? [], probe.asOf satisfies CdcAsOf);
            await askProbes(context, subject, probes, answer, startedAt);
            return;
          }
          const design = subject.spec.design;
          const answer: Answer = (probe) => subject.designs.state(design, probe.cartId, "at" in probe.asOf ? { at: new Date(probe.asOf.at).toISOString() } : probe.asOf);
          await askProbes(context, subject, probes, answer, startedAt);
        }),
    },
  ],
  judge: judgeReconstruct,
  headline: { observation: "matchPercent", unit: "percent", label: "probes answered exactly (%)" },
};
