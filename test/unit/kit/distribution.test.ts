import { describe, expect, it } from "vitest";
import { distributionOf } from "../../../scenarios/kit/distribution.ts";

describe("distributionOf", () => {
  it("has no percentiles for no samples", () => {
    expect(distributionOf([])).toBeNull();
  });

  it("takes the nearest rank, so every figure is a measured sample", () => {
    const samples = Array.from({ length: 100 }, (_, index) => 100 - index); // 100..1, unsorted
    expect(distributionOf(samples)).toEqual({ kind: "distribution", count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
  });

  it("puts a lone outlier in the max and, with few samples, in the high percentiles", () => {
    const samples = [5, 5, 5, 5, 5, 5, 5, 5, 5, 900];
    const distribution = distributionOf(samples);
    expect(distribution?.p50).toBe(5);
    // 95% of 10 samples is 9.5: the 10th sample is the smallest that covers it.
    expect(distribution?.p95).toBe(900);
    expect(distribution?.max).toBe(900);
  });

  it("does not change the samples it was given", () => {
    const samples = [3, 1, 2];
    distributionOf(samples);
    expect(samples).toEqual([3, 1, 2]);
  });
});
