import { SHORT_RETENTION_MS } from "../../../services/crud-cdc/cdc-variant.ts";
import { LabError } from "../../../services/platform/errors.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { BAD_VERSION, throughBadDeploy, weeklyPromotion } from "../../kit/bad-deploy.ts";
import { createCartRecord, recordedViews, sameView } from "../../kit/cart-record.ts";
import { byDesign, forCdc } from "../../kit/drivers/subject-driver.ts";
import type { CdcDriver } from "../../kit/drivers/subject-driver.ts";
import { percent } from "../../kit/figures.ts";
import { applyToAll, requireRecordedState } from "../../kit/subject-state.ts";
import { ageMs, markTime } from "../../kit/time-mark.ts";
import { recordsCommittedBefore } from "../../kit/topic-cleanup.ts";
import { SIZES } from "../../model/scenario.ts";
import type { OpenedSubject, Scenario } from "../../model/scenario.ts";
import type { SubjectId } from "../../model/subjects.ts";
import { generateCartWorkload } from "../../workload/cart-workload.ts";
import { backgroundCommands, cartsWithBadChange, requireMark, shopperCart } from "./beyond-retention-run.ts";
import type { BeyondRetentionRun } from "./beyond-retention-run.ts";
import { compensatingCommands } from "./compensating-commands.ts";
import { judgeBeyondRetention } from "./judge.ts";
import { OBS } from "./observations.ts";
import { restorePlan } from "./restore-plan.ts";

/**
 * recover.beyond-retention: a bad change is found only after the CDC topics' retention has
 * deleted it. Each design is asked to put the damaged carts back as they were just before it,
 * from its own history, and the result is compared with the runner's record of that moment.
 */

/** Carts the bad change hits, per unit of size. */
const AFFECTED_PER_SIZE = 3;
/** How long the broker may take past the retention to delete a segment: it checks every second and rolls segments after one. */
const DELETION_TIMEOUT_MS = SHORT_RETENTION_MS + 60_000;
const ON_TOPICS_TIMEOUT_MS = 60_000;
const RESTORE_REASON = `restore to before the bad change of ${BAD_VERSION}`;

/** The CDC subjects whose topics keep a record only for the short retention. */
function shortRetentionTopics(subjects: readonly OpenedSubject[]): CdcDriver[] {
  return subjects.flatMap(({ driver }) =>
    byDesign<CdcDriver[]>(driver, {
      es: () => [],
      crud: () => [],
      cdc: (cdc) => (cdc.spec.cdc.retention === "short" ? [cdc] : []),
    }),
  );
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
        await context.each((subject) => requireRecordedState(subject, recordedViews(state.record)));
      },
    },
    {
      actor: "debezium",
      does: "streams the bad change to the topics (CDC): the runner waits until they hold it for every affected cart",
      async run(context) {
        const affected = new Set(context.state.affected);
        await context.each((subject) =>
          forCdc(subject.driver, async (cdc) => {
              await waitFor(async () => ((cartsWithBadChange(await cdc.readChangeEvents(), affected).size === affected.size ? true : undefined)), {
                what: `the bad change on the topics of ${cdc.spec.id}`,
                timeoutMs: ON_TOPICS_TIMEOUT_MS,
                intervalMs: 500,
              });
            }),
        );
      },
    },
    {
      actor: "clock",
      does: `lets more than the ${SHORT_RETENTION_MS / 1000} s retention pass while the app serves other carts, until the broker deleted every record committed up to the bad change from short-retention topics`,
      async run(context) {
        const { state } = context;
        const badChangeAt = requireMark(state.badChangeAt, "the bad change");
        // The end state, read through the broker: the short-retention topics keep nothing
        // committed before the mark that follows the bad change (the workload and the bad
        // change itself), only the traffic since. Retention deletes whole closed segments from
        // the oldest on, so this state is reached once the newest of those records is older
        // than the retention and its segment closed; what is left of the history is then the
        // same in every run, whatever the timing.
        const short = shortRetentionTopics(context.subjects());
        const pending = new Set<SubjectId>(short.map((cdc) => cdc.spec.id));
        const waited = await waitFor(
          async () => {
            state.backgroundCarts += 1;
            for (const entry of backgroundCommands(state.backgroundCarts)) await applyToAll(context, state.record, entry);
            await context.each(async (subject) => {
              const cdc = short.find((candidate) => candidate.spec.id === subject.spec.id);
              if (cdc === undefined || !pending.has(cdc.spec.id)) return;
              if (recordsCommittedBefore(await cdc.readChangeEvents(), badChangeAt) === 0) pending.delete(cdc.spec.id);
            });
            const live = new Set(context.subjects().map((subject) => subject.spec.id));
            return ageMs(badChangeAt) > SHORT_RETENTION_MS && ![...pending].some((id) => live.has(id)) ? true : undefined;
          },
          { what: "the broker to delete everything up to the bad change from the short-retention topics", timeoutMs: DELETION_TIMEOUT_MS, intervalMs: 500 },
        ).catch((error: unknown) => error);
        if (waited === true) return;
        const stuck = context.subjects().filter((subject) => pending.has(subject.spec.id));
        // Nobody is stuck, yet the wait failed: the premise itself failed, for everyone.
        if (stuck.length === 0) throw waited;
        // Only the subjects whose topics still hold the old records failed to get there.
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
          const plan = await restorePlan(subject.driver, state.affected, validAt);
          for (const [cartId, target] of plan.targets) {
            const compensation = compensatingCommands(await subject.driver.current(cartId), target, { actor: "operator", reason: RESTORE_REASON });
            if (!compensation.ok) continue;
            for (const entry of compensation.commands) await subject.driver.apply(entry.command, entry.metadata);
          }
          state.restorable.set(id, new Set(plan.targets.keys()));
          context.observe(id, OBS.cartsAffected, state.affected.length);
          context.observe(id, OBS.cartsRestorable, plan.targets.size);
          context.observe(id, OBS.badChangeInLog, plan.badChangeInLog);
          // Both ages from one instant, and the bad change's age from its first write (it spans
          // validAt..badChangeAt): "the history no longer reaches back" means the oldest record
          // kept is younger than the start of the bad change.
          const now = Date.now();
          context.observe(id, OBS.historyOldestAgeMs, plan.oldestRecordAt === null ? null : now - plan.oldestRecordAt);
          context.observe(id, OBS.badChangeAgeMs, now - validAt);
          context.observe(id, OBS.restoreMs, Math.round(performance.now() - startedAt));
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
            const exact = sameView(await subject.driver.current(cartId), state.validViews.get(cartId) ?? null);
            if (exact) restored += 1;
            rows.push([cartId, state.restorable.get(id)?.has(cartId) ?? false, exact]);
          }
          context.observe(id, OBS.cartsRestoredExactly, restored);
          context.observe(id, OBS.restoredPercent, percent(restored, state.affected.length));
          context.evidence(id, { id: `${id}-restored`, title: "Carts the bad change hit, after the restore", columns: ["cartId", "restorable", "restoredExactly"], rows });
        });
      },
    },
  ],
  judge: judgeBeyondRetention,
  headline: { observation: OBS.restoredPercent, label: "affected carts restored exactly" },
};
