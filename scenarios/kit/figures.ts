import type { Curve, Distribution, ObservationName, SubjectOutcome, ValueOf, Verdict } from "../model/observations.ts";

/**
 * The one reader of observations: a judge, a test or the report reads a figure through the
 * same declared name a step recorded it with. A value of another shape than the name declares
 * (an older results file, a renamed figure) reads as null, never as a wrong number.
 */
export function figure<N extends ObservationName>(outcome: Pick<SubjectOutcome, "observations">, name: N): ValueOf<N> {
  const value = outcome.observations[name.name]?.value;
  return (matchesShape(value, name.shape) ? value : null) as ValueOf<N>;
}

function matchesShape(value: unknown, shape: ObservationName["shape"]): boolean {
  switch (shape) {
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "text":
      return typeof value === "string";
    case "distribution":
      return isDistribution(value);
    case "curve":
      return isCurve(value);
    default: {
      const unknown: never = shape;
      throw new Error(`unknown observation shape ${String(unknown)}`);
    }
  }
}

export function isDistribution(value: unknown): value is Distribution {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "distribution";
}

export function isCurve(value: unknown): value is Curve {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "curve";
}

/**
 * The cell of an outcome that was not measured: a failed subject is a failure whatever it
 * observed before failing, an unsupported one has no answer. null for a measured outcome.
 */
export function unmeasuredVerdict(outcome: SubjectOutcome): Verdict | null {
  if (outcome.status === "failed") return { symbol: "failed", figure: "failed" };
  if (outcome.status === "unsupported") return { symbol: "n/a", figure: "unsupported" };
  return null;
}

/** The cell of a recovery measured as "so many of so many carts restored exactly". */
export function restoredVerdict(outcome: SubjectOutcome, restored: ObservationName<"number">, of: ObservationName<"number">): Verdict {
  const unmeasured = unmeasuredVerdict(outcome);
  if (unmeasured !== null) return unmeasured;
  const restoredCount = figure(outcome, restored);
  const ofCount = figure(outcome, of);
  if (restoredCount === null || ofCount === null || ofCount === 0) return { symbol: "failed", figure: `no ${of.name} measured` };
  const text = `${restoredCount}/${ofCount} restored`;
  if (restoredCount >= ofCount) return { symbol: "full", figure: text };
  if (restoredCount === 0) return { symbol: "none", figure: text };
  return { symbol: "partial", figure: text };
}

/** A share as the report's percent unit (0–100, one decimal); null when there is nothing to divide. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((1000 * part) / whole) / 10;
}
