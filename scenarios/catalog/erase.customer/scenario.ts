import type { CartView } from "../../../services/cart/index.ts";
import { cdcStateAsOf } from "../../../services/crud-cdc/cdc-history.ts";
import { LabError, describeError, isLabError } from "../../../services/platform/errors.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { createCartRecord, recordedView, recordedViews, sameView } from "../../kit/cart-record.ts";
import type { CartRecord } from "../../kit/cart-record.ts";
import { byDesign } from "../../kit/drivers/subject-driver.ts";
import type { CdcDriver } from "../../kit/drivers/subject-driver.ts";
import { applyToAll } from "../../kit/subject-state.ts";
import { settledEnds, waitForCompaction } from "../../kit/topic-cleanup.ts";
import { waitForTopicsToHold } from "../../kit/topics-caught-up.ts";
import type { OpenedSubject, Scenario, StepContext } from "../../model/scenario.ts";
import type { SubjectId } from "../../model/subjects.ts";
import { openCheckoutPipeline } from "./checkout-pipeline.ts";
import type { CheckoutPipeline } from "./checkout-pipeline.ts";
import { checkoutCount, customerMarkers, eraseWorkload } from "./customers.ts";
import type { EraseWorkload } from "./customers.ts";
import { eraseCustomer } from "./erase-subject.ts";
import { judgeEraseCustomer } from "./judge.ts";
import { OBS } from "./observations.ts";
import { AFTER_OBSERVATION, PLACE_KINDS, placesHolding, totalRecords } from "./places.ts";
import type { PlaceCounts } from "./places.ts";
import { placesOf, scanPlaces } from "./scan-places.ts";

/**
 * erase.customer: "Forget a customer (GDPR)." Carts get personal data whose e-mail and address
 * are marker strings found nowhere else; the checkouts flow to each subject's store, its topics
 * and the shipping service. The operator then forgets one customer with the design's own erase,
 * and a scan of every place the subject keeps data (every table of its schemas as stored, every
 * record its topics still hold, the shipping store) says where the markers are still readable,
 * next to the same scan before the erase (which must find them, or it proves nothing). Then:
 * do that customer's carts still give their totals and their past?
 */
export interface EraseState {
  workload: EraseWorkload;
  record: CartRecord;
  /** Each cart's view after each accepted command: version N of the cart is entry N-1. */
  versions: Map<string, CartView[]>;
  pipelines: Map<SubjectId, CheckoutPipeline>;
  before: Map<SubjectId, { forgotten: PlaceCounts; control: PlaceCounts }>;
}

const CATCH_UP_TIMEOUT_MS = 60_000;
const COMPACTION_TIMEOUT_MS = 90_000;
/** A cart outside the workload, without a customer: the shop's other traffic while Kafka's log cleaner is waited for. */
const TRAFFIC_CART = "erase-traffic";
const TRAFFIC: Record<string, unknown>[] = [
  { type: "AddItem", cartId: TRAFFIC_CART, sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 1 },
  { type: "RemoveItem", cartId: TRAFFIC_CART, sku: "kiwi" },
];

function pipelineOf(context: StepContext<EraseState>, subject: OpenedSubject): CheckoutPipeline {
  const pipeline = context.state.pipelines.get(subject.spec.id);
  if (pipeline === undefined) throw new LabError("UsageInvalid", `${subject.spec.id} has no checkout path open`);
  return pipeline;
}

async function applyWorkload(context: StepContext<EraseState>): Promise<void> {
  const { record, versions } = context.state;
  for (const entry of context.state.workload.commands) {
    const recorded = await applyToAll(context, record, entry);
    if (recorded.accepted && recorded.events.length > 0 && recorded.command !== null) {
      const cartId = recorded.command.cartId;
      const view = recordedView(record, cartId);
      if (view !== null) versions.set(cartId, [...(versions.get(cartId) ?? []), view]);
    }
  }
}

/** Waits until every place downstream of the subject's store holds the workload. */
async function waitForDownstream(context: StepContext<EraseState>, subject: OpenedSubject): Promise<void> {
  const pipeline = pipelineOf(context, subject);
  await pipeline.publish();
  await byDesign<Promise<unknown>>(subject.driver, {
    es: (journal) => journal.projection.catchUp(),
    crud: () => Promise.resolve(),
    cdc: async (cdc) => {
      await waitForTopicsToHold(cdc, recordedViews(context.state.record));
      // Scanned at the cleaner's end state, not wherever it happens to be: same seed, same counts.
      await compactToEndState(context, cdc);
    },
  });
  const expected = checkoutCount(context.state.workload);
  await waitFor(async () => ((await pipeline.consumer.counts()).recorded >= expected ? true : undefined), {
    what: `${expected} checkouts of ${subject.spec.id} recorded by shipping`,
    timeoutMs: CATCH_UP_TIMEOUT_MS,
  });
}

/** The forgotten customer's markers and the control customer's, counted in one pass over the subject's places. */
async function scan(context: StepContext<EraseState>, subject: OpenedSubject): Promise<{ forgotten: PlaceCounts; control: PlaceCounts }> {
  const { run } = context;
  const { forgotten, control } = context.state.workload;
  return scanPlaces(subject.driver.pool, run.endpoints.kafkaBrokers, run.logger, placesOf(subject.driver, pipelineOf(context, subject)), {
    forgotten: customerMarkers(forgotten),
    control: customerMarkers(control),
  });
}

async function scanBefore(context: StepContext<EraseState>, subject: OpenedSubject): Promise<void> {
  const { forgotten } = context.state.workload;
  const counts = await scan(context, subject);
  context.state.before.set(subject.spec.id, counts);
  const id = subject.spec.id;
  context.observe(id, OBS.customerCarts, forgotten.carts.length);
  context.observe(id, OBS.placesScanned, counts.forgotten.size);
  context.observe(id, OBS.markerRecordsBefore, totalRecords(counts.forgotten));
  context.observe(id, OBS.placesHoldingBefore, placesHolding(counts.forgotten).length);
  context.observe(id, OBS.controlRecordsBefore, totalRecords(counts.control));
}

async function erase(context: StepContext<EraseState>, subject: OpenedSubject): Promise<void> {
  const startedAt = performance.now();
  const report = await eraseCustomer(subject.driver, pipelineOf(context, subject), context.state.workload.forgotten.customerId, new Date().toISOString());
  context.observe(subject.spec.id, OBS.eraseMs, Math.round(performance.now() - startedAt));
  context.evidence(subject.spec.id, {
    id: "erase-operation",
    title: "What the erase changed, as the design's own operation reports it",
    columns: ["what", "count"],
    rows: Object.entries(report).map(([what, count]) => [what, count]),
  });
}

/**
 * The erase is a change like any other for Debezium: waits until each of the customer's carts
 * has its cleared row on the topics, and on compacted topics until the cleaner reached its end
 * state (only the latest record of each key) below where the erase ended.
 */
async function waitForErasureStreamed(context: StepContext<EraseState>, cdc: CdcDriver): Promise<void> {
  const { forgotten } = context.state.workload;
  await waitFor(
    async () => {
      const events = await cdc.readChangeEvents();
      const cleared = new Set(
        events.flatMap((event) =>
          event.kind === "row" && event.after !== null && event.after["customer_id"] === forgotten.customerId && event.after["customer_email"] === null ? [String(event.after["cart_id"])] : [],
        ),
      );
      return forgotten.carts.every((cartId) => cleared.has(cartId)) ? true : undefined;
    },
    { what: `the erase of ${forgotten.customerId} on ${cdc.spec.id}'s topics`, timeoutMs: CATCH_UP_TIMEOUT_MS, intervalMs: 500 },
  );
  const waitedMs = await compactToEndState(context, cdc);
  if (waitedMs !== null) context.observe(cdc.spec.id, OBS.compactionWaitMs, waitedMs);
}

/**
 * On compacted topics, waits (bounded) until Kafka's log cleaner reached its end state below
 * what the topics hold now: every key keeps only its latest record. Resolves with the time it
 * took; null for topics kept in full, which have nothing to wait for.
 */
async function compactToEndState(context: StepContext<EraseState>, cdc: CdcDriver): Promise<number | null> {
  if (cdc.spec.cdc.retention !== "compacted") return null;
  const startedAt = Date.now();
  const { ends } = await settledEnds(cdc, CATCH_UP_TIMEOUT_MS);
  try {
    await waitForCompaction(cdc, ends, {
      timeoutMs: COMPACTION_TIMEOUT_MS,
      keepWriting: async () => {
        for (const command of TRAFFIC) await cdc.apply(command, { actor: "shop-traffic" });
      },
    });
  } catch (error) {
    // Topics the cleaner did not finish are a measurement: the scan says what they still hold.
    if (!(isLabError(error) && error.code === "Timeout")) throw error;
    context.run.logger.warn({ subject: cdc.spec.id, err: describeError(error) }, "compaction did not reach its end state within the bound");
  }
  return Date.now() - startedAt;
}

async function scanAfter(context: StepContext<EraseState>, subject: OpenedSubject): Promise<void> {
  const id = subject.spec.id;
  const { forgotten } = context.state.workload;
  const { forgotten: after, control: controlAfter } = await scan(context, subject);
  const holding = placesHolding(after);
  context.observe(id, OBS.markerRecordsAfter, totalRecords(after));
  context.observe(id, OBS.placesHoldingAfter, holding.length);
  context.observe(id, OBS.placesStillHolding, holding.join(", "));
  context.observe(id, OBS.controlRecordsAfter, totalRecords(controlAfter));
  for (const kind of PLACE_KINDS) {
    const count = after.get(kind);
    if (count !== undefined) context.observe(id, AFTER_OBSERVATION[kind], count);
  }
  const before = context.state.before.get(id)?.forgotten ?? new Map<string, number>();
  context.evidence(id, {
    id: "marker-places",
    title: `Records holding ${forgotten.email} or the address, per place`,
    columns: ["place", "before erase", "after erase"],
    rows: [...new Set([...before.keys(), ...after.keys()])].map((place) => [place, before.get(place) ?? 0, after.get(place) ?? 0]),
  });
}

/** What still works for the forgotten customer's carts: their current state, and every past version where the design keeps one. */
async function askCarts(context: StepContext<EraseState>, subject: OpenedSubject): Promise<void> {
  const id = subject.spec.id;
  const { forgotten } = context.state.workload;
  let kept = 0;
  for (const cartId of forgotten.carts) {
    if (sameView(await subject.driver.current(cartId), recordedView(context.state.record, cartId))) kept += 1;
  }
  context.observe(id, OBS.totalsKept, kept);
  const stateAt = await byDesign<Promise<((cartId: string, version: number) => Promise<CartView | null>) | null>>(subject.driver, {
    es: async (journal) => (cartId, version) => journal.stateAt(cartId, { version }),
    // The tables keep only the present: there is no past to lose.
    crud: async () => null,
    // One read of the topics for every probe: each read replays them from the start.
    cdc: async (cdc) => {
      const history = await cdc.history();
      return async (cartId, version) => cdcStateAsOf(history.get(cartId) ?? [], { version });
    },
  });
  if (stateAt === null) return;
  let probes = 0;
  let matched = 0;
  for (const cartId of forgotten.carts) {
    const versions = context.state.versions.get(cartId) ?? [];
    for (const version of probedVersions(versions.length)) {
      probes += 1;
      if (sameView(await stateAt(cartId, version), versions[version - 1] ?? null)) matched += 1;
    }
  }
  context.observe(id, OBS.timeTravelProbes, probes);
  context.observe(id, OBS.timeTravelMatched, matched);
}

/** The first versions (the customer is attached at 2), one in the middle, and the last: a long cart's past without asking for all of it. */
export function probedVersions(count: number): number[] {
  const wanted = [1, 2, 3, 4, 5, Math.ceil(count / 2), count];
  return [...new Set(wanted.filter((version) => version >= 1 && version <= count))].sort((a, b) => a - b);
}

async function closePipelines(context: StepContext<EraseState>): Promise<void> {
  // Every pipeline opened, the failed subjects' too: they hold a connector and a slot.
  for (const [id, pipeline] of context.state.pipelines) {
    const problems = await pipeline.close();
    if (problems.length > 0) context.run.logger.warn({ scenario: eraseCustomerScenario.id, subject: id, problems }, "checkout path not fully removed");
  }
  context.state.pipelines.clear();
}

function noWait(): Promise<void> {
  return Promise.resolve();
}

export const eraseCustomerScenario: Scenario<EraseState> = {
  id: "erase.customer",
  claim: "Forget a customer (GDPR): after each design's own erase, where are the customer's e-mail and address still readable (tables, topics, journal, snapshots, projections, shipping), and do the customer's carts keep their totals and their past?",
  subjects: ["es", "es-plaintext", "crud", "cdc-plain", "cdc-compacted"],
  init(run) {
    return { workload: eraseWorkload(run.seed, run.size), record: createCartRecord(), versions: new Map(), pipelines: new Map(), before: new Map() };
  },
  steps: [
    {
      actor: "consumer",
      does: "opens each subject's checkout path (the outbox connector, or the journal's publisher) and shipping's consumer",
      run: (context) =>
        context.each(async (subject) => {
          context.state.pipelines.set(subject.spec.id, await openCheckoutPipeline(context.run, subject.driver));
        }),
    },
    {
      actor: "app",
      does: "attaches customers with marker e-mails and addresses to carts, checks half of them out",
      run: applyWorkload,
    },
    {
      actor: "consumer",
      does: "waits until the checkouts are published and shipped, the projection and the change topics caught up",
      run: (context) => context.each((subject) => waitForDownstream(context, subject)),
    },
    {
      actor: "operator",
      does: "scans every place of each subject for the customer's e-mail and address before the erase",
      run: (context) => context.each((subject) => scanBefore(context, subject)),
    },
    {
      actor: "operator",
      does: "forgets the customer with the design's own erase, then shipping's",
      run: (context) => context.each((subject) => erase(context, subject)),
    },
    {
      actor: "debezium",
      does: "streams the erase to the change topics; on compacted topics, Kafka's cleaner runs to its end state",
      run: (context) =>
        context.each((subject) =>
          byDesign<Promise<void>>(subject.driver, {
            es: noWait,
            crud: noWait,
            cdc: (cdc) => waitForErasureStreamed(context, cdc),
          }),
        ),
    },
    {
      actor: "operator",
      does: "scans every place again after the erase",
      run: (context) => context.each((subject) => scanAfter(context, subject)),
    },
    {
      actor: "operator",
      does: "asks for the forgotten customer's carts now and at every version",
      run: (context) => context.each((subject) => askCarts(context, subject)),
    },
    {
      actor: "operator",
      does: "removes the checkout paths (connectors, slots, shipping schemas)",
      run: closePipelines,
    },
  ],
  judge: judgeEraseCustomer,
  headline: { observation: OBS.placesHoldingAfter, label: "places still holding the customer's data after the erase" },
};
