import { LabError } from "../../../services/platform/errors.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { recordedView, sameView } from "../../kit/cart-record.ts";
import { distributionOf } from "../../kit/distribution.ts";
import { percent } from "../../kit/figures.ts";
import type { Evidence } from "../../model/observations.ts";
import type { OpenedSubject, RunContext, RunSize, Scenario, StepContext } from "../../model/scenario.ts";
import { SIZES } from "../../model/scenario.ts";
import type { SubjectId } from "../../model/subjects.ts";
import { generateCartWorkload } from "../../workload/cart-workload.ts";
import { judgeLagReadModel } from "./judge.ts";
import { planLoad } from "./load-plan.ts";
import type { LoadPlan, PlannedCommand } from "./load-plan.ts";
import { matchWrites } from "./match-writes.ts";
import type { MatchedWrite, MeasuredWrite } from "./match-writes.ts";
import { OBS } from "./observations.ts";
import { busyPercent, watchReadModel } from "./read-model-watch.ts";
import type { ReadModelWatch } from "./read-model-watch.ts";
import { runSteadyLoad } from "./steady-load.ts";

/**
 * lag.read-model: "How stale is each read model under load?" Every subject gets the same seeded
 * workload at the same steady rate, its read model fed in the background from before the load.
 * Per write: commit returned -> the read model has applied it, as reported by the feeder itself
 * (the CDC consumer's handler, the projection's passes), and one read of the read model right
 * after the command (read-your-writes). Subjects run one after another, never at once.
 */
export interface LagState {
  plan: LoadPlan;
  watches: Map<SubjectId, ReadModelWatch>;
  writes: Map<SubjectId, MeasuredWrite[]>;
}

/** The scheduled rate, the same for every subject and size: below every design's saturation on 2 cores (measured as issuedPerSecond). */
export const RATE_PER_SECOND = 50;
/** How long the load runs per subject, by run size. */
export const LOAD_SECONDS: Record<RunSize, number> = { small: 10, default: 15, large: 60 };
/** Carts the load spreads over, per unit of size: several, so commands of different carts overlap. */
const CARTS_PER_SIZE = 10;
const CART_PREFIX = "lag-";
/** A cart outside the workload, written before the load until the read model shows it: the feeder is then joined and streaming. */
const WARM_UP_CART = `${CART_PREFIX}warm-up`;
const WARM_UP_TIMEOUT_MS = 60_000;
const SLOWEST_EVIDENCE_ROWS = 5;

export function loadSize(size: RunSize): { commands: number; carts: number } {
  return { commands: RATE_PER_SECOND * LOAD_SECONDS[size], carts: CARTS_PER_SIZE * Math.min(SIZES[size], 4) };
}

/** The load every subject gets for a seed and size: the same commands in the same order. */
export function planFor(seed: number, size: RunSize): LoadPlan {
  const { commands, carts } = loadSize(size);
  return planLoad(generateCartWorkload({ seed, carts, commands, cartPrefix: CART_PREFIX }));
}

function init(run: RunContext): LagState {
  return { plan: planFor(run.seed, run.size), watches: new Map(), writes: new Map() };
}

function watchOf(context: StepContext<LagState>, subject: OpenedSubject): ReadModelWatch {
  const watch = context.state.watches.get(subject.spec.id);
  if (watch === undefined) throw new LabError("ComponentFailed", `${subject.spec.id} has no read model running`);
  return watch;
}

/** Runs `work` on the subject's read model and stops the read model if it fails: no consumer outlives its subject. */
async function orStop(context: StepContext<LagState>, subject: OpenedSubject, work: (watch: ReadModelWatch) => Promise<void>): Promise<void> {
  const watch = watchOf(context, subject);
  try {
    await work(watch);
  } catch (error) {
    context.state.watches.delete(subject.spec.id);
    await watch.stop().catch((stopError: unknown) => context.run.logger.warn({ subject: subject.spec.id, err: stopError }, "read model did not stop cleanly after a failure"));
    throw error;
  }
}

async function stopAll(context: StepContext<LagState>): Promise<void> {
  const watches = [...context.state.watches];
  context.state.watches.clear();
  for (const [id, watch] of watches) {
    await watch.stop().catch((error: unknown) => context.run.logger.warn({ subject: id, err: error }, "read model did not stop cleanly on interrupt"));
  }
}

async function warmUp(subject: OpenedSubject, watch: ReadModelWatch): Promise<void> {
  const command = { type: "AddItem", cartId: WARM_UP_CART, sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 1 };
  const result = await subject.driver.apply(command, { actor: "lab-warm-up" });
  if (!result.ok) throw new LabError("ComponentFailed", `${subject.spec.id} rejected the warm-up command: ${result.error.message}`);
  const expected = await subject.driver.current(WARM_UP_CART);
  await waitFor(async () => (sameView(await watch.view(WARM_UP_CART), expected) ? true : undefined), {
    what: `the read model of ${subject.spec.id} to show the warm-up cart`,
    timeoutMs: WARM_UP_TIMEOUT_MS,
    intervalMs: 20,
  });
}

async function runLoad(context: StepContext<LagState>, subject: OpenedSubject, watch: ReadModelWatch): Promise<void> {
  const id = subject.spec.id;
  const writes: MeasuredWrite[] = [];
  const load = await runSteadyLoad(context.state.plan.commands, { ratePerSecond: RATE_PER_SECOND, laneOf: (planned) => planned.lane, signal: context.run.signal }, async (planned: PlannedCommand) => {
    const result = await subject.driver.apply(planned.entry.command, planned.entry.metadata);
    const committedAt = Date.now();
    if (result.ok !== planned.accepted) {
      throw new LabError("ComponentFailed", `${id} answered ${JSON.stringify(result)} to ${JSON.stringify(planned.entry.command)}; the rules ${planned.accepted ? "accept" : "reject"} it`, {
        details: { subject: id, command: planned.entry.command },
      });
    }
    if (!planned.writes) return;
    // The user's next request: one read, right away, before this cart's next command.
    const readRightAfter = await watch.readPosition(planned.lane);
    writes.push({ cartId: planned.lane, nth: planned.nth, commandType: String(planned.entry.command["type"]), committedAt, readRightAfter });
  });
  context.state.writes.set(id, writes);
  context.observe(id, OBS.commandsIssued, load.issued);
  context.observe(id, OBS.targetPerSecond, RATE_PER_SECOND);
  context.observe(id, OBS.issuedPerSecond, load.perSecond);
  context.observe(id, OBS.maxIssueDelayMs, load.maxIssueDelayMs);
}

async function measure(context: StepContext<LagState>, subject: OpenedSubject, watch: ReadModelWatch): Promise<void> {
  const id = subject.spec.id;
  const { plan } = context.state;
  const visible = await watch.settle();
  const workloadCarts = new Set(plan.cartIds);
  const matched = matchWrites(context.state.writes.get(id) ?? [], new Map([...visible].filter(([cartId]) => workloadCarts.has(cartId))));
  context.observe(id, OBS.lagMs, distributionOf(matched.map((write) => write.lagMs)));
  context.observe(id, OBS.writesMeasured, matched.length);
  context.observe(id, OBS.readYourWrites, percent(matched.filter((write) => write.shownRightAfter).length, matched.length));
  const firstCommit = Math.min(...matched.map((write) => write.committedAt));
  const lastVisible = Math.max(...matched.map((write) => write.committedAt + write.lagMs));
  context.observe(id, OBS.feederBusyPercent, busyPercent(watch.busy(), firstCommit, lastVisible));
  context.evidence(id, slowestWrites(matched, watch.feeder));
  context.evidence(id, visibleVia(matched));
  context.evidence(id, lagOverTime(matched));

  const differing: string[] = [];
  for (const cartId of plan.cartIds) {
    const source = await subject.driver.current(cartId);
    if (!sameView(source, recordedView(plan.record, cartId))) {
      throw new LabError("ComponentFailed", `${id} holds cart ${cartId} unlike the rules' record`, { details: { subject: id, cartId } });
    }
    if (!sameView(await watch.view(cartId), source)) differing.push(cartId);
  }
  context.observe(id, OBS.readModelMatchesSource, differing.length === 0);
  if (differing.length > 0) context.run.logger.warn({ subject: id, carts: differing.slice(0, 10) }, "read model ends unlike the source");
}

function slowestWrites(matched: readonly MatchedWrite[], feeder: string): Evidence {
  const rows = [...matched]
    .sort((a, b) => b.lagMs - a.lagMs)
    .slice(0, SLOWEST_EVIDENCE_ROWS)
    .map((write) => [write.cartId, write.nth, write.commandType, new Date(write.committedAt).toISOString(), write.lagMs, write.shownRightAfter]);
  return { id: "slowest-writes", title: `The slowest writes to become visible (${feeder})`, columns: ["cartId", "write", "command", "committed", "lag ms", "read right after showed it"], rows };
}

/**
 * Lag by third of the run, in commit order. A read model that keeps up shows the same lag in
 * each; one that grows third after third is a queue filling: its feeder is saturated even
 * though the application carried the rate.
 */
function lagOverTime(matched: readonly MatchedWrite[]): Evidence {
  const ordered = [...matched].sort((a, b) => a.committedAt - b.committedAt);
  const third = Math.ceil(ordered.length / 3);
  const rows = ["first", "second", "last"].map((name, index) => {
    const lag = distributionOf(ordered.slice(index * third, (index + 1) * third).map((write) => write.lagMs));
    return [name, lag?.count ?? 0, lag?.p50 ?? null, lag?.p99 ?? null, lag?.max ?? null];
  });
  return { id: "lag-over-time", title: "Lag by third of the load, in commit order", columns: ["third", "writes", "p50 ms", "p99 ms", "max ms"], rows };
}

/** Lag per way of becoming visible: for a projection, what woke the pass that applied the write; how to read its tail. */
function visibleVia(matched: readonly MatchedWrite[]): Evidence {
  const groups = new Map<string, MatchedWrite[]>();
  for (const write of matched) groups.set(write.via, [...(groups.get(write.via) ?? []), write]);
  const rows = [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([via, writes]) => {
    const lag = distributionOf(writes.map((write) => write.lagMs));
    const handOver = distributionOf(writes.map((write) => write.handOverMs));
    return [via, writes.length, lag?.p50 ?? null, lag?.p99 ?? null, lag?.max ?? null, handOver?.p50 ?? null, handOver?.p99 ?? null, writes.filter((write) => write.shownRightAfter).length];
  });
  return {
    id: "visible-via",
    title: "Writes by what made them visible; hand-over = commit to Debezium processing the change (CDC) or to the start of the applying pass (ES)",
    columns: ["visible via", "writes", "p50 ms", "p99 ms", "max ms", "hand-over p50 ms", "hand-over p99 ms", "shown right after"],
    rows,
  };
}

export const lagReadModel: Scenario<LagState> = {
  id: "lag.read-model",
  claim: "Under a steady load, how long after a commit does each read model show it, and does a read right after a command see it?",
  subjects: ["cdc-plain", "cdc-tuned", "es", "es-polling"],
  init,
  steps: [
    {
      actor: "consumer",
      does: "starts each subject's read model (CDC: a change-feed consumer; ES: the projection, woken by NOTIFY or polling) and waits until a warm-up cart shows in it",
      async run(context) {
        // An interrupted run skips the steps that would stop the read models: stop them here,
        // before the runner disposes the subjects under them.
        context.run.signal.addEventListener("abort", () => void stopAll(context), { once: true });
        await context.each(async (subject) => {
          const started = watchReadModel(subject.driver, context.run.logger);
          if (started === null) {
            context.unsupported(subject.spec.id, "the CRUD tables alone have no read model apart from themselves");
            return;
          }
          context.state.watches.set(subject.spec.id, await started);
          await orStop(context, subject, (watch) => warmUp(subject, watch));
        });
      },
    },
    {
      actor: "app",
      does: `applies the seeded workload at ${RATE_PER_SECOND} commands/s to each subject in turn, reading the read model once right after each write`,
      run: (context) => context.each((subject) => orStop(context, subject, (watch) => runLoad(context, subject, watch))),
    },
    {
      actor: "consumer",
      does: "waits until each read model applied every change, matches each write to its transaction, and compares the read model with the source",
      run: (context) =>
        context.each((subject) =>
          orStop(context, subject, async (watch) => {
            await measure(context, subject, watch);
            context.state.watches.delete(subject.spec.id);
            await watch.stop();
          }),
        ),
    },
  ],
  judge: judgeLagReadModel,
  headline: { observation: OBS.lagMs, label: "commit → visible in the read model" },
};
