import type { Measure } from "./benchmark.ts";

/**
 * How a measure stands against the target: the ratio is compared when there is a
 * baseline, the value otherwise; "higher" measures meet it at or above, "lower" at or below.
 */
export type TargetOutcome = "met" | "missed" | "no target";

/** The figure the target is compared with. */
export function comparedFigure(measure: Measure): number | null {
  return measure.baseline === null ? measure.value : measure.ratio;
}

export function targetOutcome(measure: Measure): TargetOutcome {
  const figure = comparedFigure(measure);
  if (measure.target === null || figure === null) return "no target";
  const met = measure.better === "higher" ? figure >= measure.target : figure <= measure.target;
  return met ? "met" : "missed";
}

/** "≥ 0.7× raw" or "≤ 100 ms": the target as a reader checks it. */
export function targetText(measure: Measure, format: (value: number) => string): string {
  if (measure.target === null) return "";
  const sign = measure.better === "higher" ? "≥" : "≤";
  return measure.baseline === null ? `${sign} ${format(measure.target)} ${measure.unit}` : `${sign} ${format(measure.target)}×`;
}
