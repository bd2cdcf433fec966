import { LabError } from "../../services/platform/errors.ts";
import { formatNumber } from "../../scenarios/report/observation-format.ts";
import { summarizeRepetitions } from "../measures-support/repetition-summary.ts";
import type { BenchContext, StatementProfile } from "./benchmark.ts";
import { countQueries, statementProfile } from "./round-trips.ts";

/** One measure's plan: a warm-up, then a timed repetition run `context.repetitions` times. */
export interface RepeatPlan {
  /** For the progress line: "journal append, 8 writers". */
  name: string;
  unit: string;
  /** Writers side by side in the warm-up (1 when absent): how long one operation took as its writer saw it. */
  writers?: number;
  /** Untimed: fills caches, prepares statements, opens connections. Resolves with the operations it did. */
  warmUp(): Promise<number>;
  /** One timed repetition; resolves with its figure (e.g. operations per second). */
  once(repetition: number): Promise<number>;
}

/** What one operation sent PostgreSQL and how long it took, from the warm-up. */
export interface PerOperation {
  roundTrips: number;
  statements: number;
  /** Wall time of the warm-up per operation, as one writer saw it (wall time x writers / operations). */
  ms: number;
}

export interface Repeated {
  /** One figure per repetition, in the order they ran. */
  samples: number[];
  /** Counted over the warm-up: the timed repetitions carry no counting wrapper. */
  perOperation: PerOperation;
  /** Where an operation's time went, statement by statement, over the warm-up. */
  profile: StatementProfile[];
}

/**
 * The harness's loop for one measure: warm-up (its queries counted and timed), then the timed
 * repetitions one after another, stopping before the next one when the run is interrupted.
 */
export async function repeat(context: BenchContext, plan: RepeatPlan): Promise<Repeated> {
  return context.progress.step(
    `${plan.name}: warm-up and ${context.repetitions} repetition(s)`,
    async () => {
      stopIfInterrupted(context);
      const startedAt = performance.now();
      const { result: operations, count } = await countQueries(() => plan.warmUp());
      const wallMs = performance.now() - startedAt;
      if (!(operations > 0)) throw new LabError("ComponentFailed", `${plan.name}: the warm-up did no operation, so nothing per operation can be counted`);
      const samples: number[] = [];
      for (let repetition = 1; repetition <= context.repetitions; repetition += 1) {
        stopIfInterrupted(context);
        samples.push(await plan.once(repetition));
      }
      return {
        samples,
        perOperation: { roundTrips: count.roundTrips / operations, statements: count.statements / operations, ms: (wallMs * (plan.writers ?? 1)) / operations },
        profile: statementProfile(count, operations),
      };
    },
    ({ samples, perOperation }) => {
      const { value, spread } = summarizeRepetitions(samples);
      const range = spread === null ? "" : ` (${formatNumber(spread.min)}..${formatNumber(spread.max)})`;
      return `median ${formatNumber(value)} ${plan.unit}${range}; per operation ${formatNumber(perOperation.roundTrips)} round trip(s), ${formatNumber(perOperation.statements)} statement(s)`;
    },
  );
}

export function stopIfInterrupted(context: BenchContext): void {
  if (context.signal?.aborted === true) throw new LabError("Interrupted", "the bench was interrupted");
}
