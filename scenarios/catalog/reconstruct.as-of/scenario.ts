import { buildCdcHistory, cdcStateAsOf } from "../../../services/crud-cdc/cdc-history.ts";
import { crudHasNoPast } from "../../../services/designs/cart-designs.ts";
import { LabError, isLabError } from "../../../services/platform/errors.ts";
import { byDesign, forCdc } from "../../kit/drivers/subject-driver.ts";
import type { CdcDriver } from "../../kit/drivers/subject-driver.ts";
import { markTime } from "../../kit/time-mark.ts";
import { recordsBelow, recordsRemoved, settledEnds, waitForCompaction } from "../../kit/topic-cleanup.ts";
import type { PartitionEnds } from "../../kit/topic-cleanup.ts";
import { waitForTopicsToHold } from "../../kit/topics-caught-up.ts";
import { SIZES } from "../../model/scenario.ts";
import type { OpenedSubject, RunContext, Scenario, StepContext } from "../../model/scenario.ts";
import type { SubjectId } from "../../model/subjects.ts";
import { generateCartWorkload } from "../../workload/cart-workload.ts";
import { askProbes } from "./ask-probes.ts";
import { judgeReconstruct } from "./judge.ts";
import { OBS } from "./observations.ts";
import { probesOf, recordWorkload } from "./workload-record.ts";
import type { WorkloadRecord } from "./workload-record.ts";

/**
 * reconstruct.as-of: "What was cart X at time T, and at version N?" Every subject gets the same
 * seeded workload; the runner keeps its own record of every cart after every command (the pure
 * rules, no store involved), notes probe times while it writes, and then asks each subject for
 * the probed carts at those times and at a few versions. A probe matches when the answer equals
 * the record exactly.
 */
export interface ReconstructState {
  record: WorkloadRecord;
  /** When each probe point was reached, per subject (each subject runs the workload on its own). */
  probeTimes: Map<SubjectId, number[]>;
  /** The topics' end offsets once every workload change arrived: what compaction is measured against. */
  workloadEnds: Map<SubjectId, PartitionEnds>;
}

const PROBE_EVERY = 10;
const CART_PREFIX = "cart-";
/** A cart outside the record: the shop's other traffic while Kafka's log cleaner is waited for. */
const TRAFFIC_CART = `${CART_PREFIX}traffic`;
const SETTLE_TIMEOUT_MS = 30_000;
const COMPACTION_TIMEOUT_MS = 60_000;

/** Four commands on the traffic cart that touch every state table and leave it as it was. */
const TRAFFIC: Record<string, unknown>[] = [
  { type: "AddItem", cartId: TRAFFIC_CART, sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 1 },
  { type: "ApplyDiscount", cartId: TRAFFIC_CART, discountId: "traffic", sku: "kiwi", minQuantity: 1, amountCents: -1 },
  { type: "RevokeDiscount", cartId: TRAFFIC_CART, discountId: "traffic" },
  { type: "RemoveItem", cartId: TRAFFIC_CART, sku: "kiwi" },
];

function sizeOf(run: RunContext): { commands: number; carts: number } {
  const scale = SIZES[run.size];
  return { commands: 150 * scale, carts: 5 * scale };
}

async function applyWorkload(context: StepContext<ReconstructState>, subject: OpenedSubject, from: number, to: number): Promise<void> {
  const { record, probeTimes } = context.state;
  const times = probeTimes.get(subject.spec.id) ?? [];
  probeTimes.set(subject.spec.id, times);
  for (let index = from; index < to; index += 1) {
    const entry = record.workload[index];
    if (entry === undefined) break;
    // Rejections are part of the workload; the record already knows which commands write.
    await subject.driver.apply(entry.command, entry.metadata);
    if ((index + 1) % PROBE_EVERY === 0) {
      // "State at T" has one right answer only if no commit shares T's millisecond.
      times.push(await markTime());
    }
  }
}

function workloadEndsOf(state: ReconstructState, id: SubjectId): PartitionEnds {
  const ends = state.workloadEnds.get(id);
  if (ends === undefined) throw new LabError("UsageInvalid", `${id} has no workload end offsets`);
  return ends;
}

/**
 * Waits until the cleaner has compacted the workload's records to their end state (see
 * `compactionOutstanding`): what compaction costs the history is then a property of the
 * workload, the same for the same seed. Topics kept in full have nothing to wait for.
 */
async function waitForWorkloadCompacted(context: StepContext<ReconstructState>, cdc: CdcDriver): Promise<void> {
  if (cdc.spec.cdc.retention !== "compacted") return;
  const startedAt = Date.now();
  try {
    await waitForCompaction(cdc, workloadEndsOf(context.state, cdc.spec.id), {
      timeoutMs: COMPACTION_TIMEOUT_MS,
      keepWriting: async () => {
        for (const command of TRAFFIC) await cdc.apply(command, { actor: "shop-traffic" });
      },
    });
  } catch (error) {
    // Not a failure of the subject: topics the cleaner did not finish are a measurement (recordsCompactedAway below says how far it got).
    if (!(isLabError(error) && error.code === "Timeout")) throw error;
    context.run.logger.warn({ subject: cdc.spec.id, err: error.message }, "compaction did not reach its end state within the bound");
  }
  context.observe(cdc.spec.id, OBS.compactionWaitMs, Date.now() - startedAt);
}

/** The CDC design answers from one read of its topics, replayed as of each probe. */
async function askTopics(context: StepContext<ReconstructState>, subject: OpenedSubject, cdc: CdcDriver): Promise<void> {
  const id = cdc.spec.id;
  const probes = probesOf(context.state.record, context.state.probeTimes.get(id) ?? []);
  const startedAt = performance.now();
  const ends = workloadEndsOf(context.state, id);
  const events = await cdc.readChangeEvents();
  // The workload's records only: the traffic that closed segments for the cleaner is not part of the history asked about.
  const workload = recordsBelow(events, ends);
  const history = buildCdcHistory(events);
  const snapshotRecords = workload.filter((event) => event.kind === "row" && event.op === "r").length;
  const removed = recordsRemoved(events, ends);
  context.observe(id, OBS.changeEventsRead, workload.length);
  context.observe(id, OBS.historyStartsWithSnapshot, snapshotRecords > 0);
  context.observe(id, OBS.snapshotRecords, snapshotRecords);
  context.observe(id, OBS.compactionHappened, removed > 0);
  context.observe(id, OBS.recordsCompactedAway, removed);
  await askProbes(context, subject, probes, async (probe) => cdcStateAsOf(history.get(probe.cartId) ?? [], probe.asOf), startedAt);
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
      does: "starts the CDC connectors not streaming yet, halfway through the workload (the late one: an initial snapshot)",
      run: (context) =>
        context.each((subject) =>
          forCdc(subject.driver, (cdc) => cdc.startConnector()),
        ),
    },
    {
      actor: "app",
      does: "applies the second half of the workload to every subject, noting probe times",
      run: (context) => context.each((subject) => applyWorkload(context, subject, Math.floor(context.state.record.workload.length / 2), context.state.record.workload.length)),
    },
    {
      actor: "debezium",
      does: "streams every change to Kafka (waits until each CDC subject's topics end as the record does, every delete with its tombstone)",
      run: (context) =>
        context.each((subject) =>
          forCdc(subject.driver, async (cdc) => {
              await waitForTopicsToHold(cdc, context.state.record.finalViews);
              context.state.workloadEnds.set(cdc.spec.id, (await settledEnds(cdc, SETTLE_TIMEOUT_MS)).ends);
            }),
        ),
    },
    {
      actor: "clock",
      does: "lets time pass, the shop writing to another cart, until Kafka's log cleaner finished compacting the workload on the compacted topics",
      run: (context) =>
        context.each((subject) =>
          forCdc(subject.driver, (cdc) => waitForWorkloadCompacted(context, cdc)),
        ),
    },
    {
      actor: "operator",
      does: "asks every subject for the probed carts at each probe time and at versions, and compares with the record",
      run: (context) =>
        context.each((subject) =>
          byDesign(subject.driver, {
            es: (journal) => {
              const probes = probesOf(context.state.record, context.state.probeTimes.get(subject.spec.id) ?? []);
              return askProbes(context, subject, probes, (probe) => journal.stateAt(probe.cartId, probe.asOf), performance.now());
            },
            // The design refusing the question is the measurement: the CRUD tables keep no past.
            crud: async () => context.unsupported(subject.spec.id, crudHasNoPast().message),
            cdc: (cdc) => askTopics(context, subject, cdc),
          }),
        ),
    },
  ],
  judge: judgeReconstruct,
  headline: { observation: OBS.matchPercent, label: "probes answered exactly (%)" },
};
