import { LabError } from "../../../services/platform/errors.ts";
import { createCartRecord, recordedViews, sameView } from "../../kit/cart-record.ts";
import { byDesign } from "../../kit/drivers/subject-driver.ts";
import { percent } from "../../kit/figures.ts";
import { editStateByHand, planHandEdits } from "../../kit/hand-edits.ts";
import { applyToAll, requireRecordedState } from "../../kit/subject-state.ts";
import { markTime } from "../../kit/time-mark.ts";
import { historyCaughtUpStep } from "../../kit/topics-caught-up.ts";
import { SIZES } from "../../model/scenario.ts";
import type { Scenario } from "../../model/scenario.ts";
import { generateCartWorkload } from "../../workload/cart-workload.ts";
import { editInJournal, editInTables, editInTopics } from "./edit-in-log.ts";
import { judgeTamperedState } from "./judge.ts";
import { OBS } from "./observations.ts";
import { restoreFromTopics } from "./restore-from-topics.ts";
import { requireValidAt, stateTableView } from "./tampered-state.ts";
import type { TamperedStateRun } from "./tampered-state.ts";

/**
 * recover.tampered-state: someone edited the state tables by hand; each design restores them
 * from what it remembers, and the restore is compared with the runner's own record of the last
 * valid state. What each design's log says about the edit is measured on the way.
 */

/** Carts edited by hand per unit of size. */
const EDITS_PER_SIZE = 3;

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
      run: (context) =>
        context.each((subject) =>
          byDesign(subject.driver, {
            es: async (journal) => {
              await journal.projection.catchUp();
            },
            crud: () => Promise.resolve(),
            cdc: () => Promise.resolve(),
          }),
        ),
    },
    historyCaughtUpStep((state) => state.record),
    {
      actor: "clock",
      does: "marks the last valid moment; the runner checks each subject's state tables hold its record",
      async run(context) {
        const { state } = context;
        state.validAt = await markTime();
        state.validViews = recordedViews(state.record);
        state.edits = planHandEdits(state.validViews, EDITS_PER_SIZE * SIZES[context.run.size]);
        if (state.edits.length === 0) throw new LabError("ComponentFailed", "the workload left no cart with a line to edit");
        await context.each((subject) => requireRecordedState(subject, state.validViews, (cartId) => stateTableView(subject.driver, cartId)));
      },
    },
    {
      actor: "operator",
      does: "edits the state by hand in SQL: CRUD rows, or the ES cart_summaries (the journal refuses edits)",
      async run(context) {
        const { state } = context;
        await context.each(async (subject) => {
          await editStateByHand(subject.driver, state.edits);
          const unchanged: string[] = [];
          for (const { cartId } of state.edits) if (sameView(await stateTableView(subject.driver, cartId), state.validViews.get(cartId) ?? null)) unchanged.push(cartId);
          // An edit that left its cart as it was would make the restore look better than it is.
          if (unchanged.length > 0) throw new LabError("ComponentFailed", `hand edits left carts unchanged: ${unchanged.join(", ")}`);
          context.observe(subject.spec.id, OBS.cartsTampered, state.edits.length);
        });
      },
    },
    {
      actor: "debezium",
      does: "captures the edit, or not: what each design's log shows of it",
      async run(context) {
        const validAt = requireValidAt(context.state);
        const cartIds = context.state.edits.map((edit) => edit.cartId);
        await context.each((subject) =>
          byDesign(subject.driver, {
            es: (journal) => editInJournal(context, journal, cartIds, validAt),
            crud: (tables) => editInTables(context, tables),
            cdc: (cdc) => editInTopics(context, cdc, cartIds, validAt),
          }),
        );
      },
    },
    {
      actor: "operator",
      does: "restores the state from the design's own history (ES: rebuild the read model; CDC: topics as of before the edit; CRUD: nothing to restore from)",
      async run(context) {
        const validAt = requireValidAt(context.state);
        await context.each(async (subject) => {
          const id = subject.spec.id;
          const startedAt = performance.now();
          const restored = await byDesign(subject.driver, {
            es: async (journal) => {
              await journal.rebuildReadModel();
              return true;
            },
            crud: () => Promise.resolve(false),
            cdc: async (cdc) => {
              context.observe(id, OBS.cartsRewritten, await restoreFromTopics(cdc, validAt));
              return true;
            },
          });
          // No history to restore from: no restore time to report either.
          context.observe(id, OBS.restoreMs, restored ? Math.round(performance.now() - startedAt) : null);
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
            const exact = sameView(await stateTableView(subject.driver, cartId), valid);
            const edit = edited.get(cartId);
            if (edit === undefined) {
              othersIntact &&= exact;
              continue;
            }
            if (exact) restored += 1;
            rows.push([cartId, edit, exact]);
          }
          context.observe(id, OBS.cartsRestoredExactly, restored);
          context.observe(id, OBS.restoredPercent, percent(restored, state.edits.length));
          context.observe(id, OBS.otherCartsIntact, othersIntact);
          context.evidence(id, { id: `${id}-restored`, title: "Tampered carts after the restore", columns: ["cartId", "edit", "restoredExactly"], rows });
        });
      },
    },
  ],
  judge: judgeTamperedState,
  headline: { observation: OBS.restoredPercent, label: "tampered carts restored exactly" },
};
