import { describe, expect, it } from "vitest";
import { axisFor, axisTitle, positionOn } from "../../../scenarios/report/chart-axis.ts";

describe("a chart's axis", () => {
  it("is linear from zero to a round maximum when the values sit within two decades", () => {
    const axis = axisFor([12, 40, 85, 120], "ms", true);
    expect(axis.scale).toBe("linear");
    expect(axis.min).toBe(0);
    expect(axis.ticks).toEqual([0, 50, 100, 150]);
    expect(axisTitle("Lag", "ms", axis)).toBe("Lag (ms)");
  });

  it("turns logarithmic when the values span two decades, and its title says so", () => {
    const axis = axisFor([12, 40, 85, 120, 540, 2100], "ms", true);
    expect(axis.scale).toBe("log");
    expect([axis.min, axis.max]).toEqual([10, 10_000]);
    expect(axis.ticks).toEqual([10, 100, 1000, 10_000]);
    expect(axisTitle("Lag", "ms", axis)).toBe("Lag (ms, log scale)");
    // A decade is the same length wherever it is.
    expect(positionOn(axis, 100) - positionOn(axis, 10)).toBeCloseTo(positionOn(axis, 10_000) - positionOn(axis, 1000));
  });

  it("adds 2× and 5× ticks to a log axis of two decades", () => {
    expect(axisFor([1, 100], "count", true).ticks).toEqual([1, 2, 5, 10, 20, 50, 100]);
  });

  it("draws a zero on a log axis at its start and says so", () => {
    const axis = axisFor([0, 3, 900], "ms", true);
    expect(axis.scale).toBe("log");
    expect(axis.clamped).toBe(true);
    expect(positionOn(axis, 0)).toBe(0);
    expect(axisTitle("Lag", "ms", axis)).toContain("values at or below the first tick drawn on it");
  });

  it("stays linear for bars, whatever the spread: a bar's length on a log axis would mislead", () => {
    expect(axisFor([1, 5000], "count", false).scale).toBe("linear");
  });

  it("keeps percentages on a fixed 0–100 axis", () => {
    const axis = axisFor([0.5, 99], "percent", true);
    expect(axis.scale).toBe("linear");
    expect(axis.ticks).toEqual([0, 25, 50, 75, 100]);
  });

  it("steps bytes in their own unit, so the ticks read as round figures", () => {
    expect(axisFor([412, 2650], "bytes", false).ticks).toEqual([0, 1024, 2048, 3072]);
    const log = axisFor([310 * 1024, 40 * 1024 ** 2], "bytes", true);
    expect(log.scale).toBe("log");
    expect(log.ticks).toEqual([100 * 1024, 1024 ** 2, 10 * 1024 ** 2, 100 * 1024 ** 2]);
  });
});
