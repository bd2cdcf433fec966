import type { SubjectOutcome, Verdict } from "../../model/observations.ts";

/** A numeric observation of an outcome; null when it is missing or not a number. */
export function numberOf(outcome: SubjectOutcome, name: string): number | null {
  const value = outcome.observations[name]?.value;
  return typeof value === "number" && Number.isFinite(value) ? value : null;
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
export function restoredVerdict(outcome: SubjectOutcome, restoredName: string, ofName: string): Verdict {
  const unmeasured = unmeasuredVerdict(outcome);
  if (unmeasured !== null) return unmeasured;
  const restored = numberOf(outcome, restoredName);
  const of = numberOf(outcome, ofName);
  if (restored === null || of === null || of === 0) return { symbol: "failed", figure: `no ${ofName} measured` };
  const figure = `${restored}/${of} restored`;
  if (restored >= of) return { symbol: "full", figure };
  if (restored === 0) return { symbol: "none", figure };
  return { symbol: "partial", figure };
}

/** A share as the report's percent unit (0–100, one decimal); null when there is nothing to divide. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((1000 * part) / whole) / 10;
}
