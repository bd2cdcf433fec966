import { LabError } from "../../services/platform/errors.ts";

/** What one measure's repetitions come to: the median, and their spread when there were several. */
export interface RepetitionSummary {
  value: number;
  spread: { min: number; max: number; repetitions: number } | null;
}

/**
 * The median of the repetitions (the mean of the two middle ones for an even count) and their
 * range. The median, not the mean: on a shared two-core machine one repetition now and then
 * loses the CPU to something else, and that one should not move the figure.
 */
export function summarizeRepetitions(values: readonly number[]): RepetitionSummary {
  if (values.length === 0) throw new LabError("ComponentFailed", "a measure had no repetitions to summarise");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  const spread = sorted.length > 1 ? { min: sorted[0] as number, max: sorted[sorted.length - 1] as number, repetitions: sorted.length } : null;
  return { value, spread };
}
