import type { Better, Measure } from "../harness/benchmark.ts";
import { summarizeRepetitions } from "./repetition-summary.ts";

export interface MeasureSpec {
  id: string;
  label: string;
  unit: string;
  better: Better;
  /** The measure this one is compared with, taken in the same run (of this benchmark or an earlier one). */
  baseline?: Measure | null;
  target?: number | null;
  settings: Measure["settings"];
}

/** A measure from its repetitions' values: the median, the spread, and the ratio to its baseline. */
export function measureOf(spec: MeasureSpec, repetitions: readonly number[]): Measure {
  const { value, spread } = summarizeRepetitions(repetitions);
  const baseline = spec.baseline ?? null;
  return {
    id: spec.id,
    label: spec.label,
    value,
    unit: spec.unit,
    spread,
    baseline: baseline?.id ?? null,
    ratio: baseline === null || baseline.value === 0 ? null : value / baseline.value,
    target: spec.target ?? null,
    better: spec.better,
    settings: spec.settings,
  };
}
