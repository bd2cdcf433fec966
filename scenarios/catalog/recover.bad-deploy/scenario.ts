import { LabError } from "../../../services/platform/errors.ts";
import { BAD_CENTS, BAD_VERSION, PROMOTION_ID, throughBadDeploy, weeklyPromotion } from "../../kit/bad-deploy.ts";
import { createCartRecord, recordedView, sameView } from "../../kit/cart-record.ts";
import { forCdc } from "../../kit/drivers/subject-driver.ts";
import { markTime } from "../../kit/time-mark.ts";
import { historyCaughtUpStep, waitForTopicsToHold } from "../../kit/topics-caught-up.ts";
import { SIZES } from "../../model/scenario.ts";
import type { Scenario } from "../../model/scenario.ts";
import { generateCartWorkload } from "../../workload/cart-workload.ts";
import { applyBoth, openCartsWithLines, requireWindow } from "./bad-deploy-run.ts";
import type { BadDeployRun } from "./bad-deploy-run.ts";
import { candidatesOf, scoreFinding, selectBadDiscounts } from "./bad-discount-finder.ts";
import { checkOut, fixCommands, goodwillDiscount, promotionEnded } from "./deploy-commands.ts";
import { fixAuditedIn } from "./fix-audit.ts";
import { judgeBadDeploy } from "./judge.ts";
import { OBS } from "./observations.ts";

/**
 * recover.bad-deploy: a release sent −1000¢ instead of −10¢ discounts while it was live. Each
 * design finds the damaged carts from what it keeps, fixes them through its application, and
 * is checked against the runner's truth: which carts the bug touched, and what each would hold
 * had the bug never shipped.
 */
export const recoverBadDeploy: Scenario<BadDeployRun> = {
  id: "recover.bad-deploy",
  claim: "A bug applied −1000¢ instead of −10¢ discounts during a window. Find the carts, fix them, keep an audit trail of the fix.",
  subjects: ["es", "cdc-intent", "cdc-plain", "crud"],
  init: (run) => ({
    workload: generateCartWorkload({ seed: run.seed, carts: 8 * SIZES[run.size], commands: 180 * SIZES[run.size], cartPrefix: "cart-" }),
    actual: createCartRecord(),
    intended: createCartRecord(),
    window: null,
    affected: new Set(),
    found: new Map(),
    fixStartedAt: null,
    fixed: new Map(),
  }),
  steps: [
    {
      actor: "app",
      does: "applies the workload before the deploy, including goodwill −1000¢ discounts a support agent gives",
      async run(context) {
        const scale = SIZES[context.run.size];
        for (const entry of context.state.workload.slice(0, 80 * scale)) await applyBoth(context, entry);
        for (const { cartId, sku } of openCartsWithLines(context.state.actual).slice(0, scale + 1)) await applyBoth(context, goodwillDiscount(cartId, sku));
      },
    },
    {
      actor: "app",
      does: `runs the bad deploy ${BAD_VERSION}: every −10¢ ApplyDiscount goes through as −1000¢ (the runner records which carts it hit)`,
      async run(context) {
        const scale = SIZES[context.run.size];
        const { state } = context;
        const from = await markTime();
        // The promotion does not stack with a goodwill discount: those carts keep a legitimate
        // −1000¢ that only the bug's time and actor tell apart from the bug's.
        const promotions = openCartsWithLines(state.actual)
          .filter(({ cartId }) => !(recordedView(state.actual, cartId)?.discounts.some((discount) => discount.amountCents === BAD_CENTS) ?? false))
          .map(({ cartId, sku }) => weeklyPromotion(cartId, sku));
        for (const meant of [...promotions, ...state.workload.slice(80 * scale, 120 * scale)]) {
          const { entry, buggy } = throughBadDeploy(meant);
          const recorded = await applyBoth(context, entry, meant);
          if (buggy && recorded.events.some((event) => event.type === "DiscountApplied")) state.affected.add(String(entry.command["cartId"]));
        }
        state.window = { from, to: await markTime() };
        if (state.affected.size === 0) throw new LabError("ComponentFailed", "the bad deploy hit no cart: the workload left none open");
      },
    },
    {
      actor: "app",
      does: "runs the fixed release: the workload goes on, some bad discounts are revoked, some affected carts check out",
      async run(context) {
        const scale = SIZES[context.run.size];
        const { state } = context;
        for (const [index, cartId] of [...state.affected].sort().entries()) {
          const holdsPromotion = recordedView(state.actual, cartId)?.discounts.some((discount) => discount.discountId === PROMOTION_ID) === true;
          if (index % 3 === 0 && holdsPromotion) await applyBoth(context, promotionEnded(cartId));
          if (index % 3 === 1) await applyBoth(context, checkOut(cartId));
        }
        for (const entry of state.workload.slice(120 * scale)) await applyBoth(context, entry);
      },
    },
    historyCaughtUpStep((state) => state.actual),
    {
      actor: "operator",
      does: "finds the affected carts from the design's log: journal, topics, or (CRUD) the current rows",
      async run(context) {
        const { state } = context;
        const window = requireWindow(state);
        await context.each(async (subject) => {
          const id = subject.spec.id;
          const found = selectBadDiscounts(await candidatesOf(subject.driver), { amountCents: BAD_CENTS, window, actor: BAD_VERSION });
          state.found.set(id, found);
          const score = scoreFinding(
            found.map((entry) => entry.cartId),
            state.affected,
          );
          context.observe(id, OBS.truthAffected, state.affected.size);
          context.observe(id, OBS.found, score.truePositives + score.falsePositives);
          context.observe(id, OBS.precision, score.precision);
          context.observe(id, OBS.recall, score.recall);
        });
      },
    },
    {
      actor: "operator",
      does: "fixes each found cart through the application (RevokeDiscount, then ApplyDiscount −10¢, as operator with a reason); checked-out carts are final",
      async run(context) {
        const { state } = context;
        state.fixStartedAt = await markTime();
        await context.each(async (subject) => {
          const id = subject.spec.id;
          const fixed = new Map<string, number>();
          const byCart = new Map<string, string[]>();
          for (const { cartId, discountId } of state.found.get(id) ?? []) byCart.set(cartId, [...(byCart.get(cartId) ?? []), discountId]);
          let fixable = 0;
          for (const [cartId, discountIds] of byCart) {
            const view = await subject.driver.current(cartId);
            if (view === null || view.status === "checked_out") continue;
            fixable += 1;
            const commands = discountIds.flatMap((discountId) => fixCommands(view, discountId));
            let accepted = true;
            for (const entry of commands) accepted = (await subject.driver.apply(entry.command, entry.metadata)).ok && accepted;
            if (accepted) fixed.set(cartId, commands.length);
          }
          state.fixed.set(id, fixed);
          context.observe(id, OBS.fixable, fixable);
          context.observe(id, OBS.fixed, fixed.size);
        });
      },
    },
    {
      actor: "debezium",
      does: "streams the fix to the topics (CDC)",
      async run(context) {
        await context.each((subject) =>
          forCdc(subject.driver, async (cdc) => {
              const fixedCarts = [...(context.state.fixed.get(cdc.spec.id) ?? new Map<string, number>()).keys()];
              const expected = new Map(await Promise.all(fixedCarts.map(async (cartId) => [cartId, await cdc.current(cartId)] as const)));
              await waitForTopicsToHold(cdc, expected);
            }),
        );
      },
    },
    {
      actor: "operator",
      does: "checks each fixed cart against its state had the bug never shipped, and the fix's audit trail",
      async run(context) {
        const { state } = context;
        const fixStartedAt = state.fixStartedAt;
        if (fixStartedAt === null) throw new LabError("ComponentFailed", "the fix was never started");
        await context.each(async (subject) => {
          const id = subject.spec.id;
          const fixed = state.fixed.get(id) ?? new Map<string, number>();
          const found = new Set((state.found.get(id) ?? []).map((entry) => entry.cartId));
          let exactly = 0;
          const rows: (string | boolean)[][] = [];
          for (const cartId of [...new Set([...state.affected, ...found])].sort()) {
            const exact = fixed.has(cartId) && sameView(await subject.driver.current(cartId), recordedView(state.intended, cartId));
            if (exact) exactly += 1;
            rows.push([cartId, state.affected.has(cartId), found.has(cartId), fixed.has(cartId), exact]);
          }
          context.observe(id, OBS.fixedExactly, exactly);
          context.observe(id, OBS.fixAudited, await fixAuditedIn(subject.driver, fixed, fixStartedAt));
          context.evidence(id, { id: `${id}-bad-deploy-carts`, title: "Carts the bad deploy hit, and what this design found and fixed", columns: ["cartId", "affected", "found", "fixed", "fixedExactly"], rows });
        });
      },
    },
  ],
  judge: judgeBadDeploy,
  headline: { observation: OBS.recall, label: "affected carts found" },
};
