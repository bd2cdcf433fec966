import { describe, expect, it } from "vitest";
import type { Curve, Distribution } from "../../../scenarios/model/observations.ts";
import { formatCurve, formatDistribution, formatNumber, formatObservation } from "../../../scenarios/report/observation-format.ts";

const lag: Distribution = { kind: "distribution", count: 2000, p50: 12, p95: 40, p99: 85, max: 120 };

function curveOf(points: [number, number][]): Curve {
  return { kind: "curve", xLabel: "changes per cart", xUnit: "count", points: points.map(([x, y]) => ({ x, y })) };
}

describe("formatting an observation", () => {
  it("writes a number in its unit", () => {
    expect(formatObservation({ value: 99.5, unit: "percent" })).toBe("99.5%");
    expect(formatObservation({ value: 12.34, unit: "ms" })).toBe("12.3 ms");
    expect(formatObservation({ value: 5210, unit: "ms" })).toBe("5.21 s");
    expect(formatObservation({ value: 1536, unit: "bytes" })).toBe("1.5 KiB");
    expect(formatObservation({ value: 1.8, unit: "ratio" })).toBe("1.8×");
    expect(formatObservation({ value: 10_000, unit: "count" })).toBe("10,000");
  });

  it("writes booleans, text and a missing value as words", () => {
    expect(formatObservation({ value: true, unit: "boolean" })).toBe("yes");
    expect(formatObservation({ value: false, unit: "boolean" })).toBe("no");
    expect(formatObservation({ value: "cart-101", unit: "id" })).toBe("cart-101");
    expect(formatObservation({ value: null, unit: "count" })).toBe("(none)");
  });

  it("groups thousands, so a count of changes reads at a glance", () => {
    expect(formatNumber(999)).toBe("999");
    expect(formatNumber(2000)).toBe("2,000");
    expect(formatNumber(-12_345)).toBe("-12,345");
    expect(formatNumber(1234.56)).toBe("1,235");
    expect(formatNumber(0.04213)).toBe("0.042");
  });

  it("writes a distribution as its four percentiles in its unit and its sample count", () => {
    expect(formatObservation({ value: lag, unit: "ms" })).toBe("p50 12 ms · p95 40 ms · p99 85 ms · max 120 ms (n=2,000)");
    expect(formatDistribution({ ...lag, p99: 1300, max: 2100 }, "ms")).toBe("p50 12 ms · p95 40 ms · p99 1.3 s · max 2.1 s (n=2,000)");
    expect(formatDistribution({ kind: "distribution", count: 10, p50: 50, p95: 90, p99: 99, max: 100 }, "percent")).toBe("p50 50% · p95 90% · p99 99% · max 100% (n=10)");
    expect(formatDistribution({ ...lag, count: 0 }, "ms")).toBe("no samples (n=0)");
  });

  it("writes a curve as its points, x in the curve's unit and y in the observation's, sorted by x", () => {
    expect(
      formatObservation({
        value: curveOf([
          [10_000, 310],
          [100, 3.5],
          [1000, 28],
        ]),
        unit: "ms",
      }),
    ).toBe("changes per cart: 100 → 3.5 ms · 1,000 → 28 ms · 10,000 → 310 ms");
    expect(formatCurve({ ...curveOf([[1024, 2]]), xLabel: "payload", xUnit: "bytes" }, "ratio")).toBe("payload: 1 KiB → 2×");
  });

  it("keeps a long curve's ends and says how many points it has", () => {
    const long = curveOf(Array.from({ length: 9 }, (_, index): [number, number] => [(index + 1) * 100, index + 1]));
    expect(formatCurve(long, "count")).toBe("changes per cart: 100 → 1 · 200 → 2 · … · 800 → 8 · 900 → 9 (9 points)");
  });

  it("says so when a curve has no points", () => {
    expect(formatCurve(curveOf([]), "ms")).toBe("changes per cart: no points");
  });
});
