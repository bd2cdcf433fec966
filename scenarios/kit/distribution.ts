import type { Distribution } from "../model/observations.ts";

/**
 * Summarises samples by the nearest-rank percentile: the smallest sample that at least p% of
 * the samples do not exceed. No interpolation, so every figure is a value that was measured.
 * null for no samples: an empty distribution has no percentiles to report.
 */
export function distributionOf(samples: readonly number[]): Distribution | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;
  return { kind: "distribution", count: sorted.length, p50: rank(50), p95: rank(95), p99: rank(99), max: sorted[sorted.length - 1] as number };
}
