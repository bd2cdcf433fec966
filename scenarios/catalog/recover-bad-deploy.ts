import { LabError } from "../../services/platform/errors.ts";
import type { SubjectOutcome, Verdict } from "../model/observations.ts";
import { SIZES } from "../model/scenario.ts";
import type { OpenedSubject, Scenario, StepContext } from "../model/scenario.ts";
import type { SubjectId } from "../model/subjects.ts";
import { generateCartWorkload } from "../workload/cart-workload.ts";
import type { WorkloadCommand } from "../workload/cart-workload.ts";
import { BAD_CENTS, BAD_VERSION, FIX_ACTOR, FIX_REASON, PROMOTION_ID, checkOut, fixCommands, goodwillDiscount, promotionEnded, throughBadDeploy, weeklyPromotion } from "./recover/bad-deploy.ts";
import { journalCandidates, scoreFinding, selectBadDiscounts, tableCandidates, topicCandidates } from "./recover/bad-discount-finder.ts";
import type { DiscountCandidate, FoundDiscount } from "./recover/bad-discount-finder.ts";
import { createCartRecord, recordCommand, recordedView, recordedViews, sameView } from "./recover/cart-record.ts";
import type { CartRecord } from "./recover/cart-record.ts";
import { numberOf, unmeasuredVerdict } from "./recover/outcome-figures.ts";
import { journalOf, readWholeJournal } from "./recover/subject-journal.ts";
import { applyToAll, currentView, writeDesignOf } from "./recover/subject-state.ts";
import { markTime } from "../runner/time-mark.ts";
import { waitForTopicsToHold } from "./recover/topics-caught-up.ts";

/**
 * recover.bad-deploy: a release sent −1000¢ instead of −10¢ discounts while it was live. Each
 * design finds the damaged carts from what it keeps, fixes them through its application, and
 * is checked against the runner's truth: which carts the bug touched, and what each would hold
 * had the bug never shipped.
 */
export interface BadDeployRun {
  /** One seeded sequence; the phases before, during and after the deploy are slices of it. */
  workload: WorkloadCommand[];
  /** What happened, bug included: the subjects must hold this. */
  actual: CartRecord;
  /** The same commands as they were meant: each cart as it would be without the bug. */
  intended: CartRecord;
  window: { from: number; to: number } | null;
  /** The truth: carts where the bad version's −1000¢ discount was accepted. */
  affected: Set<string>;
  found: Map<SubjectId, FoundDiscount[]>;
  fixStartedAt: number | null;
  /** Per subject: the carts the fix went through for, with the number of commands it took. */
  fixed: Map<SubjectId, Map<string, number>>;
}

/** Applies a command as it happened to the subjects and the actual record, and as it was meant to the intended record. */
async function applyBoth(context: StepContext<BadDeployRun>, happened: WorkloadCommand, meant: WorkloadCommand = happened) {
  recordCommand(context.state.intended, meant.command);
  return applyToAll(context, context.state.actual, happened);
}

function openCartsWithLines(record: CartRecord): { cartId: string; sku: string }[] {
  return [...recordedViews(record).values()].flatMap((view) => (view !== null && view.status === "open" && view.items[0] !== undefined ? [{ cartId: view.cartId, sku: view.items[0].sku }] : []));
}

function requireWindow(run: BadDeployRun): { from: number; to: number } {
  if (run.window === null) throw new LabError("ComponentFailed", "the bad deploy's window was never marked");
  return run.window;
}

/** Every discount the subject's design can still see, with what it knows of each. */
async function candidatesOf(subject: OpenedSubject): Promise<DiscountCandidate[]> {
  switch (subject.spec.design) {
    case "es":
      return journalCandidates(await readWholeJournal(journalOf(subject)));
    case "cdc":
      return topicCandidates(await subject.designs.cdcHistory());
    case "crud":
      return tableCandidates(subject.designs.knex, subject.crudSchema);
    default: {
      const unknown: never = subject.spec.design;
      throw new LabError("UsageInvalid", `unknown design ${String(unknown)}`);
    }
  }
}

/**
 * Whether the fix of each fixed cart is in the design's log with its actor and reason: every
 * entry the log holds after the fix began must name the operator and the fix's reason. null when
 * no cart needed a fix command.
 */
async function fixAuditedIn(subject: OpenedSubject, fixed: ReadonlyMap<string, number>, fixStartedAt: number): Promise<boolean | null> {
  const touched = [...fixed].filter(([, commands]) => commands > 0).map(([cartId]) => cartId);
  if (touched.length === 0) return null;
  if (subject.spec.design === "crud") return false;
  const byOperator = (entry: { actor: string | null; reason: string | null }) => entry.actor === FIX_ACTOR && entry.reason === FIX_REASON;
  for (const cartId of touched) {
    const entries =
      subject.spec.design === "es"
        ? (await subject.designs.audit("es", cartId)).filter((entry) => Date.parse(entry.recordedAt) > fixStartedAt)
        : (await subject.designs.cdcAudit(cartId)).filter((entry) => Date.parse(entry.committedAt) > fixStartedAt);
    if (entries.length === 0 || !entries.every(byOperator)) return false;
  }
  return true;
}

/** Full: every affected cart found, nothing else, every fixable one fixed exactly. None: nothing found. */
export function judgeBadDeploy(outcome: SubjectOutcome): Verdict {
  const unmeasured = unmeasuredVerdict(outcome);
  if (unmeasured !== null) return unmeasured;
  const found = numberOf(outcome, "found");
  const recall = numberOf(outcome, "recall");
  const precision = numberOf(outcome, "precision");
  const fixable = numberOf(outcome, "fixable");
  const fixedExactly = numberOf(outcome, "fixedExactly");
  if (found === null) return { symbol: "failed", figure: "nothing measured" };
  if (found === 0) return { symbol: "none", figure: "0 carts found" };
  const figure = `recall ${recall ?? "?"}%, precision ${precision ?? "?"}%, ${fixedExactly ?? "?"}/${fixable ?? "?"} fixed exactly`;
  const complete = recall === 100 && precision === 100 && fixable !== null && fixedExactly === fixable;
  return { symbol: complete ? "full" : "partial", figure };
}

export const recoverBadDeploy: Scenario<BadDeployRun> = {
  id: "recover.bad-deploy",
  claim: "A bug applied −1000¢ instead of −10¢ discounts during a window. Find the carts, fix them, keep an audit trail of the fix.",
  subjects: ["es", "cdc-intent", "cdc-plain", "crud"],
  init: (run) => ({
    workload: generateCartWorkload({ seed: run.seed, carts: 8 * SIZES[run.size], commands: 180 * SIZES[run.size], cartPrefix: "cart-" }),
    actual: createCartRecord(),     intended: createCartRecord(),
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
    {
      actor: "debezium",
      does: "streams every change to the topics (CDC); the runner waits until they hold every cart",
      async run(context) {
        const expected = recordedViews(context.state.actual);
        await context.each(async (subject) => {
          if (subject.spec.design === "cdc") await waitForTopicsToHold(subject, expected);
        });
      },
    },
    {
      actor: "operator",
      does: "finds the affected carts from the design's log: journal, topics, or (CRUD) the current rows",
      async run(context) {
        const { state } = context;
        const window = requireWindow(state);
        await context.each(async (subject) => {
          const id = subject.spec.id;
          const found = selectBadDiscounts(await candidatesOf(subject), { amountCents: BAD_CENTS, window, actor: BAD_VERSION });
          state.found.set(id, found);
          const score = scoreFinding(
            found.map((entry) => entry.cartId),
            state.affected,
          );
          context.observe(id, "truthAffected", state.affected.size, "count");
          context.observe(id, "found", score.truePositives + score.falsePositives, "count");
          context.observe(id, "precision", score.precision, "percent");
          context.observe(id, "recall", score.recall, "percent");
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
            const view = await currentView(subject, cartId);
            if (view === null || view.status === "checked_out") continue;
            fixable += 1;
            const commands = discountIds.flatMap((discountId) => fixCommands(view, discountId));
            let accepted = true;
            for (const entry of commands) accepted = (await subject.designs.applyRaw(writeDesignOf(subject), entry.command, entry.metadata)).ok && accepted;
            if (accepted) fixed.set(cartId, commands.length);
          }
          state.fixed.set(id, fixed);
          context.observe(id, "fixable", fixable, "count");
          context.observe(id, "fixed", fixed.size, "count");
        });
      },
    },
    {
      actor: "debezium",
      does: "streams the fix to the topics (CDC)",
      async run(context) {
        await context.each(async (subject) => {
          if (subject.spec.design !== "cdc") return;
          const fixedCarts = [...(context.state.fixed.get(subject.spec.id) ?? new Map<string, number>()).keys()];
          const expected = new Map(await Promise.all(fixedCarts.map(async (cartId) => [cartId, await currentView(subject, cartId)] as const)));
          await waitForTopicsToHold(subject, expected);
        });
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
            const exact = fixed.has(cartId) && sameView(await currentView(subject, cartId), recordedView(state.intended, cartId));
            if (exact) exactly += 1;
            rows.push([cartId, state.affected.has(cartId), found.has(cartId), fixed.has(cartId), exact]);
          }
          context.observe(id, "fixedExactly", exactly, "count");
          context.observe(id, "fixAudited", await fixAuditedIn(subject, fixed, fixStartedAt), "boolean");
          context.evidence(id, { id: `${id}-bad-deploy-carts`, title: "Carts the bad deploy hit, and what this design found and fixed", columns: ["cartId", "affected", "found", "fixed", "fixedExactly"], rows });
        });
      },
    },
  ],
  judge: judgeBadDeploy,
  headline: { observation: "recall", unit: "percent", label: "affected carts found" },
};

