import type { CartView } from "../../services/cart/index.ts";
import { buildCdcHistory, cdcStateAsOf } from "../../services/crud-cdc/cdc-history.ts";
import { SHORT_RETENTION_MS } from "../../services/crud-cdc/cdc-variant.ts";
import type { ChangeEvent } from "../../services/crud-cdc/change-event.ts";
import { crudTableNames } from "../../services/crud-cdc/crud/crud-tables.ts";
import { initialCheckpoint } from "../../services/event-sourced/global-checkpoint.ts";
import { LabError } from "../../services/platform/errors.ts";
import { waitFor } from "../../services/platform/wait-for.ts";
import type { SubjectOutcome, Verdict } from "../model/observations.ts";
import { SIZES } from "../model/scenario.ts";
import type { OpenedSubject, Scenario } from "../model/scenario.ts";
import type { SubjectId } from "../model/subjects.ts";
import { generateCartWorkload } from "../workload/cart-workload.ts";
import type { WorkloadCommand } from "../workload/cart-workload.ts";
import { BAD_CENTS, BAD_VERSION, throughBadDeploy, weeklyPromotion } from "./recover/bad-deploy.ts";
import { createCartRecord, recordedViews, sameView } from "./recover/cart-record.ts";
import type { CartRecord } from "./recover/cart-record.ts";
import { compensatingCommands } from "./recover/compensating-commands.ts";
import { completeHistorySince, oldestRetainedCommit, wholeCartHistory } from "./recover/history-horizon.ts";
import { percent, restoredVerdict } from "./recover/outcome-figures.ts";
import { journalOf } from "./recover/subject-journal.ts";
import { applyToAll, currentView, requireRecordedState, subjectTopics, writeDesignOf } from "./recover/subject-state.ts";
import { ageMs, markTime } from "../runner/time-mark.ts";

/**
 * recover.beyond-retention: a bad change is found only after the CDC topics' retention has
 * deleted it. Each design is asked to put the damaged carts back as they were just before it,
 * from its own history, and the result is compared with the runner's record of that moment.
 */
export interface BeyondRetentionRun {
  workload: WorkloadCommand[];
  record: CartRecord;
  /** Just before the bad change (epoch ms): the moment to restore to. */
  validAt: number | null;
  validViews: Map<string, CartView | null>;
  /** Carts the bad change hit. */
  affected: string[];
  /** A moment after the bad change committed (epoch ms): its age is at least the age of this. */
  badChangeAt: number | null;
  /** Where the bad change sits in each CDC subject's topics, to see it go. */
  badChangePositions: Map<SubjectId, string[]>;
  /** Per subject: the affected carts whose past its history still holds. */
  restorable: Map<SubjectId, Set<string>>;
  /** Carts the application keeps serving while the clock runs. */
  backgroundCarts: number;
}

/** Carts the bad change hits, per unit of size. */
const AFFECTED_PER_SIZE = 3;
/** How long the broker may take past the retention to delete a segment: it checks every second and rolls segments after one. */
const DELETION_TIMEOUT_MS = SHORT_RETENTION_MS + 60_000;
const RESTORE_REASON = `restore to before the bad change of ${BAD_VERSION}`;

const shopperCart = (index: number): string => `shop-${index}`;

function requireMark(mark: number | null, what: string): number {
  if (mark === null) throw new LabError("ComponentFailed", `${what} was never marked`);
  return mark;
}

const positionKey = (event: ChangeEvent): string => `${event.position.topic}/${event.position.partition}/${event.position.offset}`;

/** The records of the bad change: the −1000¢ discount rows of the affected carts. */
function badChangeRecords(events: readonly ChangeEvent[], affected: ReadonlySet<string>): ChangeEvent[] {
  return events.filter(
    (event) =>
      event.kind === "row" &&
      event.source.table === crudTableNames.cartDiscounts &&
      event.after !== null &&
      affected.has(String(event.after["cart_id"])) &&
      Number(event.after["amount_cents"]) === BAD_CENTS,
  );
}

/** Two commands on a cart of its own, touching every state table, so the topics keep fresh records at their end. */
function backgroundCommands(index: number): WorkloadCommand[] {
  const cartId = `other-${index}`;
  const customer = { actor: `customer-${cartId}` };
  return [
    { command: { type: "AddItem", cartId, sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 2 }, metadata: customer },
    { command: { type: "ApplyDiscount", cartId, discountId: "promo-b", sku: "kiwi", minQuantity: 1, amountCents: -20 }, metadata: { actor: "pricing-service", reason: "weekly promotion" } },
  ];
}

interface RestorePlan {
  /** The cart as the design says it was just before the bad change; undefined when its history no longer reaches back. */
  targets: Map<string, CartView | null>;
  badChangeInLog: boolean;
  oldestRecordAt: number | null;
}

/** What the journal says: it keeps every event, so every cart's past is there. */
async function planFromJournal(subject: OpenedSubject, affected: readonly string[], validAt: number): Promise<RestorePlan> {
  const targets = new Map<string, CartView | null>();
  let badChangeInLog = true;
  for (const cartId of affected) {
    const history = await subject.designs.history("es", cartId);
    badChangeInLog &&= history.some((entry) => entry.type === "DiscountApplied" && entry.data["amountCents"] === BAD_CENTS && entry.metadata["actor"] === BAD_VERSION);
    if (history[0]?.streamVersion === 1) targets.set(cartId, await subject.designs.state("es", cartId, { at: new Date(validAt).toISOString() }));
  }
  const oldest = (await journalOf(subject).readAll({ after: initialCheckpoint(), limit: 1 })).events[0];
  return { targets, badChangeInLog, oldestRecordAt: oldest === undefined ? null : Date.parse(oldest.recordedAt) };
}

/** What the topics say: a cart's past is there only if retention has not deleted any of it. */
async function planFromTopics(subject: OpenedSubject, affected: readonly string[], validAt: number): Promise<RestorePlan> {
  const topics = subjectTopics(subject);
  const events = await subject.designs.changeFeed.readToEnd(topics.all);
  const completeSince = completeHistorySince(events, [topics.carts, topics.cartItems, topics.cartDiscounts]);
  const history = buildCdcHistory(events);
  const targets = new Map<string, CartView | null>();
  for (const cartId of affected) {
    const transactions = history.get(cartId) ?? [];
    if (wholeCartHistory(transactions, completeSince)) targets.set(cartId, cdcStateAsOf(transactions, { at: validAt }));
  }
  const stillThere = new Set(badChangeRecords(events, new Set(affected)).map((event) => String(event.kind === "row" ? event.after?.["cart_id"] : "")));
  return { targets, badChangeInLog: affected.every((cartId) => stillThere.has(cartId)), oldestRecordAt: oldestRetainedCommit(events) };
}

export function judgeBeyondRetention(outcome: SubjectOutcome): Verdict {
  return restoredVerdict(outcome, "cartsRestoredExactly", "cartsAffected");
}

export const recoverBeyondRetention: Scenario<BeyondRetentionRun> = {
  id: "recover.beyond-retention",
  claim: "The bad change is older than the CDC history kept.",
  subjects: ["es", "cdc-short-retention", "cdc-plain"],
  init: (run) => ({
    workload: generateCartWorkload({ seed: run.seed, carts: 6 * SIZES[run.size], commands: 60 * SIZES[run.size], cartPrefix: "cart-" }),
    record: createCartRecord(),
    validAt: null,
    validViews: new Map(),
    affected: [],
    badChangeAt: null,
    badChangePositions: new Map(),
    restorable: new Map(),
    backgroundCarts: 0,
  }),
  steps: [
    {
      actor: "app",
      does: "applies a seeded workload; a few shoppers fill their carts",
      async run(context) {
        const shoppers = AFFECTED_PER_SIZE * SIZES[context.run.size];
        for (let index = 1; index <= shoppers; index += 1) {
          const cartId = shopperCart(index);
          const customer = { actor: `customer-${cartId}` };
          await applyToAll(context, context.state.record, { command: { type: "AddItem", cartId, sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 2 }, metadata: customer });
          await applyToAll(context, context.state.record, { command: { type: "AddItem", cartId, sku: "mango", name: "Mango", unitPriceCents: 200, quantity: 1 }, metadata: customer });
        }
        for (const entry of context.state.workload) await applyToAll(context, context.state.record, entry);
      },
    },
    {
      actor: "clock",
      does: "marks the last moment before the bad change; the runner records every cart then",
      async run(context) {
        const { state } = context;
        state.validAt = await markTime();
        state.validViews = recordedViews(state.record);
      },
    },
    {
      actor: "app",
      does: `applies the bad change: ${BAD_VERSION} gives the shoppers' carts −1000¢ instead of −10¢`,
      async run(context) {
        const { state } = context;
        for (let index = 1; index <= AFFECTED_PER_SIZE * SIZES[context.run.size]; index += 1) {
          const { entry } = throughBadDeploy(weeklyPromotion(shopperCart(index), "banana"));
          if ((await applyToAll(context, state.record, entry)).events.length > 0) state.affected.push(shopperCart(index));
        }
        if (state.affected.length === 0) throw new LabError("ComponentFailed", "the bad change hit no cart");
        state.badChangeAt = await markTime();
        await context.each((subject) => requireRecordedState(subject, recordedViews(state.record), (cartId) => currentView(subject, cartId)));
      },
    },
    {
      actor: "debezium",
      does: "streams the bad change to the topics (CDC); the runner notes where it sits",
      async run(context) {
        const { state } = context;
        const affected = new Set(state.affected);
        await context.each(async (subject) => {
          if (subject.spec.design !== "cdc") return;
          const records = await waitFor(
            async () => {
              const found = badChangeRecords(await subject.designs.changeFeed.readToEnd(subjectTopics(subject).all), affected);
              return new Set(found.map((event) => (event.kind === "row" ? String(event.after?.["cart_id"]) : ""))).size === affected.size ? found : undefined;
            },
            { what: `the bad change on the topics of ${subject.spec.id}`, timeoutMs: 60_000, intervalMs: 500 },
          );
          state.badChangePositions.set(subject.spec.id, records.map(positionKey));
        });
      },
    },
    {
      actor: "clock",
      does: `lets more than the ${SHORT_RETENTION_MS / 1000} s retention pass while the app serves other carts, until the broker deleted the bad change from short-retention topics`,
      async run(context) {
        const { state } = context;
        const badChangeAt = requireMark(state.badChangeAt, "the bad change");
        const shortRetention = (subject: OpenedSubject) => subject.spec.design === "cdc" && subject.spec.variant.retention === "short";
        const pending = new Set(context.subjects().filter(shortRetention).map((subject) => subject.spec.id));
        const waited = await waitFor(
          async () => {
            state.backgroundCarts += 1;
            for (const entry of backgroundCommands(state.backgroundCarts)) await applyToAll(context, state.record, entry);
            await context.each(async (subject) => {
              if (!pending.has(subject.spec.id)) return;
              const kept = new Set((await subject.designs.changeFeed.readToEnd(subjectTopics(subject).all)).map(positionKey));
              if (!(state.badChangePositions.get(subject.spec.id) ?? []).some((position) => kept.has(position))) pending.delete(subject.spec.id);
            });
            const live = new Set(context.subjects().map((subject) => subject.spec.id));
            return ageMs(badChangeAt) > SHORT_RETENTION_MS && ![...pending].some((id) => live.has(id)) ? true : undefined;
          },
          { what: "the broker to delete the bad change from the short-retention topics", timeoutMs: DELETION_TIMEOUT_MS, intervalMs: 500 },
        ).catch((error: unknown) => error);
        if (waited === true) return;
        const stuck = context.subjects().filter((subject) => pending.has(subject.spec.id));
        // Nobody is stuck, yet the wait timed out: the premise itself failed, for everyone.
        if (stuck.length === 0) throw waited;
        // Only the subjects whose topics still hold the bad change failed to get there.
        await context.each(async (subject) => {
          if (pending.has(subject.spec.id)) throw waited;
        });
      },
    },
    {
      actor: "operator",
      does: "restores each affected cart to just before the bad change, from the design's own history, through the application",
      async run(context) {
        const { state } = context;
        const validAt = requireMark(state.validAt, "the moment before the bad change");
        await context.each(async (subject) => {
          const id = subject.spec.id;
          const startedAt = performance.now();
          const plan = subject.spec.design === "es" ? await planFromJournal(subject, state.affected, validAt) : await planFromTopics(subject, state.affected, validAt);
          for (const [cartId, target] of plan.targets) {
            const compensation = compensatingCommands(await currentView(subject, cartId), target, { actor: "operator", reason: RESTORE_REASON });
            if (!compensation.ok) continue;
            for (const entry of compensation.commands) await subject.designs.applyRaw(writeDesignOf(subject), entry.command, entry.metadata);
          }
          state.restorable.set(id, new Set(plan.targets.keys()));
          context.observe(id, "cartsAffected", state.affected.length, "count");
          context.observe(id, "cartsRestorable", plan.targets.size, "count");
          context.observe(id, "badChangeInLog", plan.badChangeInLog, "boolean");
          // Both ages from one instant, and the bad change's age from its first write (it spans
          // validAt..badChangeAt): "the history no longer reaches back" means the oldest record
          // kept is younger than the start of the bad change.
          const now = Date.now();
          context.observe(id, "historyOldestAgeMs", plan.oldestRecordAt === null ? null : now - plan.oldestRecordAt, "ms");
          context.observe(id, "badChangeAgeMs", now - validAt, "ms");
          context.observe(id, "restoreMs", Math.round(performance.now() - startedAt), "ms");
        });
      },
    },
    {
      actor: "operator",
      does: "compares each affected cart with the runner's record of the moment before the bad change",
      async run(context) {
        const { state } = context;
        await context.each(async (subject) => {
          const id = subject.spec.id;
          let restored = 0;
          const rows: (string | boolean)[][] = [];
          for (const cartId of state.affected) {
            const exact = sameView(await currentView(subject, cartId), state.validViews.get(cartId) ?? null);
            if (exact) restored += 1;
            rows.push([cartId, state.restorable.get(id)?.has(cartId) ?? false, exact]);
          }
          context.observe(id, "cartsRestoredExactly", restored, "count");
          context.observe(id, "restoredPercent", percent(restored, state.affected.length), "percent");
          context.evidence(id, { id: `${id}-restored`, title: "Carts the bad change hit, after the restore", columns: ["cartId", "restorable", "restoredExactly"], rows });
        });
      },
    },
  ],
  judge: judgeBeyondRetention,
  headline: { observation: "restoredPercent", unit: "percent", label: "affected carts restored exactly" },
};
