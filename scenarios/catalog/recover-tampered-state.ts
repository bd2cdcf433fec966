import type { CartView } from "../../services/cart/index.ts";
import { cdcStateAsOf } from "../../services/crud-cdc/cdc-history.ts";
import { listCrudCartIds } from "../../services/crud-cdc/crud/read-crud-state.ts";
import { initialCheckpoint } from "../../services/event-sourced/global-checkpoint.ts";
import { journalSchema } from "../../services/event-sourced/journal-schema.ts";
import { readCartSummary } from "../../services/event-sourced/read-cart-summary.ts";
import { LabError } from "../../services/platform/errors.ts";
import { waitFor } from "../../services/platform/wait-for.ts";
import type { SubjectOutcome, Verdict } from "../model/observations.ts";
import { SIZES } from "../model/scenario.ts";
import type { OpenedSubject, Scenario } from "../model/scenario.ts";
import { generateCartWorkload } from "../workload/cart-workload.ts";
import { createCartRecord, recordedViews, sameView } from "./recover/cart-record.ts";
import type { CartRecord } from "./recover/cart-record.ts";
import { editCartSummaries, editCrudTables, planHandEdits } from "./recover/hand-edits.ts";
import type { PlannedEdit } from "./recover/hand-edits.ts";
import { percent, restoredVerdict } from "./recover/outcome-figures.ts";
import { summaryProjectionOf } from "./recover/subject-journal.ts";
import { applyToAll, requireRecordedState } from "./recover/subject-state.ts";
import { markTime } from "../runner/time-mark.ts";
import { waitForTopicsToHold } from "./recover/topics-caught-up.ts";
import { writeCartRows } from "./recover/write-cart-rows.ts";

/**
 * recover.tampered-state: someone edited the state tables by hand; each design restores them
 * from what it remembers, and the restore is compared with the runner's own record of the last
 * valid state. What each design's log says about the edit is measured on the way.
 */
export interface TamperedStateRun {
  record: CartRecord;
  /** The last valid moment (epoch ms): every app commit is before it, the hand edit after it. */
  validAt: number | null;
  validViews: Map<string, CartView | null>;
  edits: PlannedEdit[];
}

/** Carts edited by hand per unit of size. */
const EDITS_PER_SIZE = 3;
const EDIT_VISIBLE_TIMEOUT_MS = 30_000;

/** The state an operator would see in the subject's state tables: the read model for ES, the CRUD tables otherwise. */
async function stateTableView(subject: OpenedSubject, cartId: string): Promise<CartView | null> {
  if (subject.spec.design === "es") return (await readCartSummary(subject.designs.pool, subject.journalSchema, cartId))?.view ?? null;
  return subject.designs.state("crud", cartId, null);
}

function requireValidAt(run: TamperedStateRun): number {
  if (run.validAt === null) throw new LabError("ComponentFailed", "the last valid moment was never marked");
  return run.validAt;
}

/**
 * Rebuilds cart_summaries from the journal: rows emptied, checkpoint back to the start, every
 * event projected again. Resetting the checkpoint alone would not do: the projection skips a
 * row that already claims the stream version, and a hand edit leaves that version as it was.
 */
async function rebuildReadModel(subject: OpenedSubject): Promise<void> {
  const projection = summaryProjectionOf(subject);
  await subject.designs.pool.query(`DELETE FROM ${journalSchema(subject.journalSchema).cartSummaries}`);
  await projection.resetCheckpoint(initialCheckpoint());
  await projection.catchUp();
}

/**
 * Replays the topics to the last valid moment and writes back every cart whose rows differ from
 * it. The edit itself is in the topics too, after that moment, so the replay leaves it out; no
 * list of damaged carts is needed. Resolves with the number of carts rewritten.
 */
async function restoreFromTopics(subject: OpenedSubject, validAt: number): Promise<number> {
  const history = await subject.designs.cdcHistory();
  const cartIds = new Set([...history.keys(), ...(await listCrudCartIds(subject.designs.knex, subject.crudSchema))]);
  let rewritten = 0;
  for (const cartId of [...cartIds].sort()) {
    const then = cdcStateAsOf(history.get(cartId) ?? [], { at: validAt });
    if (sameView(await subject.designs.state("crud", cartId, null), then)) continue;
    await writeCartRows(subject.designs.knex, subject.crudSchema, cartId, then);
    rewritten += 1;
  }
  return rewritten;
}

/** Full only when every tampered cart came back exactly and no other cart was damaged on the way. */
export function judgeTamperedState(outcome: SubjectOutcome): Verdict {
  const verdict = restoredVerdict(outcome, "cartsRestoredExactly", "cartsTampered");
  if (verdict.symbol === "full" && outcome.observations["otherCartsIntact"]?.value === false) {
    return { symbol: "partial", figure: `${verdict.figure}, other carts damaged` };
  }
  return verdict;
}

export const recoverTamperedState: Scenario<TamperedStateRun> = {
  id: "recover.tampered-state",
  claim: "Someone edited the state tables by hand. Restore them.",
  subjects: ["es", "crud", "cdc-plain", "cdc-intent"],
  init: () => ({ record: createCartRecord(), validAt: null, validViews: new Map(), edits: [] }),
  steps: [
    {
      actor: "app",
      does: "applies a seeded cart workload to every subject",
      async run(context) {
        const scale = SIZES[context.run.size];
        const workload = generateCartWorkload({ seed: context.run.seed, carts: 8 * scale, commands: 120 * scale, cartPrefix: "cart-" });
        for (const entry of workload) await applyToAll(context, context.state.record, entry);
      },
    },
    {
      actor: "consumer",
      does: "projects the journal into the cart_summaries read model (ES)",
      async run(context) {
        await context.each(async (subject) => {
          if (subject.spec.design === "es") await summaryProjectionOf(subject).catchUp();
        });
      },
    },
    {
      actor: "debezium",
      does: "streams every change to the topics (CDC); the runner waits until they hold every cart",
      async run(context) {
        const expected = recordedViews(context.state.record);
        await context.each(async (subject) => {
          if (subject.spec.design === "cdc") await waitForTopicsToHold(subject, expected);
        });
      },
    },
    {
      actor: "clock",
      does: "marks the last valid moment; the runner checks each subject's state tables hold its record",
      async run(context) {
        const { state } = context;
        state.validAt = await markTime();
        state.validViews = recordedViews(state.record);
        state.edits = planHandEdits(state.validViews, EDITS_PER_SIZE * SIZES[context.run.size]);
        if (state.edits.length === 0) throw new LabError("ComponentFailed", "the workload left no cart with a line to edit");
        await context.each((subject) => requireRecordedState(subject, state.validViews, (cartId) => stateTableView(subject, cartId)));
      },
    },
    {
      actor: "operator",
      does: "edits the state by hand in SQL: CRUD rows, or the ES cart_summaries (the journal refuses edits)",
      async run(context) {
        const { state } = context;
        await context.each(async (subject) => {
          if (subject.spec.design === "es") await editCartSummaries(subject.designs.pool, subject.journalSchema, state.edits);
          else await editCrudTables(subject.designs.knex, subject.crudSchema, state.edits);
          const unchanged: string[] = [];
          for (const { cartId } of state.edits) if (sameView(await stateTableView(subject, cartId), state.validViews.get(cartId) ?? null)) unchanged.push(cartId);
          // An edit that left its cart as it was would make the restore look better than it is.
          if (unchanged.length > 0) throw new LabError("ComponentFailed", `hand edits left carts unchanged: ${unchanged.join(", ")}`);
          context.observe(subject.spec.id, "cartsTampered", state.edits.length, "count");
        });
      },
    },
    {
      actor: "debezium",
      does: "captures the edit, or not: what each design's log shows of it",
      async run(context) {
        const { state } = context;
        const validAt = requireValidAt(state);
        const cartIds = state.edits.map((edit) => edit.cartId);
        await context.each(async (subject) => {
          const id = subject.spec.id;
          // An edit the log does not show has nothing to attribute or tell apart: null, as audit.intent reports it.
          if (subject.spec.design === "crud") {
            // The tables are all there is: no log for the edit to appear in.
            context.observe(id, "editVisibleInLog", false, "boolean");
            context.observe(id, "editAttributed", null, "boolean");
            context.observe(id, "editStandsOut", null, "boolean");
            return;
          }
          if (subject.spec.design === "es") {
            const after = await Promise.all(cartIds.map(async (cartId) => (await subject.designs.history("es", cartId)).filter((entry) => Date.parse(entry.recordedAt) > validAt)));
            const visible = after.every((entries) => entries.length > 0);
            context.observe(id, "editVisibleInLog", visible, "boolean");
            context.observe(id, "editAttributed", visible ? after.every((entries) => entries.every((entry) => typeof entry.metadata["actor"] === "string")) : null, "boolean");
            context.observe(id, "editStandsOut", null, "boolean");
            return;
          }
          const seen = await waitFor(
            async () => {
              const history = await subject.designs.cdcHistory();
              const carts = cartIds.map((cartId) => {
                const transactions = history.get(cartId) ?? [];
                return { cartId, before: transactions.filter((tx) => tx.committedAt <= validAt), transactions: transactions.filter((tx) => tx.committedAt > validAt) };
              });
              return carts.every((cart) => cart.transactions.length > 0) ? carts : undefined;
            },
            { what: `the hand edit on the topics of ${id}`, timeoutMs: EDIT_VISIBLE_TIMEOUT_MS, intervalMs: 500 },
          ).catch((error: unknown) => {
            // Not on the topics in time is itself the measurement; anything else is a failure.
            if (error instanceof LabError && error.code === "Timeout") return null;
            throw error;
          });
          context.observe(id, "editVisibleInLog", seen !== null, "boolean");
          if (seen === null) {
            context.observe(id, "editAttributed", null, "boolean");
            context.observe(id, "editStandsOut", null, "boolean");
          } else {
            context.observe(id, "editAttributed", seen.every((cart) => cart.transactions.every((tx) => tx.intent !== null)), "boolean");
            // With intent on, every change the application makes carries a message, so a change
            // without one is a bypass; plain CDC has no message anywhere to compare with.
            const standsOut = seen.every((cart) => cart.transactions.every((tx) => tx.intent === null) && cart.before.every((tx) => tx.intent !== null));
            context.observe(id, "editStandsOut", standsOut, "boolean");
            context.evidence(id, {
              id: `${id}-edit-on-topics`,
              title: "The hand edit as the topics show it",
              columns: ["cartId", "txId", "committedAt", "rowChanges", "actor", "reason"],
              rows: seen.flatMap((cart) =>
                cart.transactions.map((tx) => [cart.cartId, tx.txId, new Date(tx.committedAt).toISOString(), tx.changes.map((change) => `${change.table}:${change.op}`).join(" "), tx.intent?.actor ?? null, tx.intent?.reason ?? null]),
              ),
            });
          }
        });
      },
    },
    {
      actor: "operator",
      does: "restores the state from the design's own history (ES: rebuild the read model; CDC: topics as of before the edit; CRUD: nothing to restore from)",
      async run(context) {
        const validAt = requireValidAt(context.state);
        await context.each(async (subject) => {
          const id = subject.spec.id;
          if (subject.spec.design === "crud") {
            context.observe(id, "restoreMs", null, "ms");
            return;
          }
          const startedAt = performance.now();
          if (subject.spec.design === "es") await rebuildReadModel(subject);
          else context.observe(id, "cartsRewritten", await restoreFromTopics(subject, validAt), "count");
          context.observe(id, "restoreMs", Math.round(performance.now() - startedAt), "ms");
        });
      },
    },
    {
      actor: "operator",
      does: "compares every cart with the runner's record of the last valid state",
      async run(context) {
        const { state } = context;
        const edited = new Map(state.edits.map((edit) => [edit.cartId, edit.edit] as const));
        await context.each(async (subject) => {
          const id = subject.spec.id;
          const rows: (string | boolean)[][] = [];
          let restored = 0;
          let othersIntact = true;
          for (const [cartId, valid] of state.validViews) {
            const exact = sameView(await stateTableView(subject, cartId), valid);
            const edit = edited.get(cartId);
            if (edit === undefined) {
              othersIntact &&= exact;
              continue;
            }
            if (exact) restored += 1;
            rows.push([cartId, edit, exact]);
          }
          context.observe(id, "cartsRestoredExactly", restored, "count");
          context.observe(id, "restoredPercent", percent(restored, state.edits.length), "percent");
          context.observe(id, "otherCartsIntact", othersIntact, "boolean");
          context.evidence(id, { id: `${id}-restored`, title: "Tampered carts after the restore", columns: ["cartId", "edit", "restoredExactly"], rows });
        });
      },
    },
  ],
  judge: judgeTamperedState,
  headline: { observation: "restoredPercent", unit: "percent", label: "tampered carts restored exactly" },
};
