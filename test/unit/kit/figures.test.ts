import { describe, expect, it } from "vitest";
import { figure, percent, restoredVerdict } from "../../../scenarios/kit/figures.ts";
import { observationNames } from "../../../scenarios/model/observations.ts";
import type { Curve, Distribution, SubjectOutcome } from "../../../scenarios/model/observations.ts";

const OBS = observationNames({
  restored: ["count", "number"],
  tampered: ["count", "number"],
  visible: ["boolean", "boolean"],
  lagMs: ["ms", "distribution"],
  loadMs: ["ms", "curve"],
});

function outcome(observations: SubjectOutcome["observations"], status: SubjectOutcome["status"] = "measured"): SubjectOutcome {
  return { subject: "es", status, observations, evidence: [], problem: null, durationMs: 1 };
}

describe("observationNames", () => {
  it("declares each name with its unit and shape", () => {
    expect(OBS.lagMs).toEqual({ name: "lagMs", unit: "ms", shape: "distribution", varies: "timing" });
    expect(OBS.restored).toEqual({ name: "restored", unit: "count", shape: "number", varies: null });
  });
});

describe("figure", () => {
  const lag: Distribution = { kind: "distribution", count: 3, p50: 1, p95: 2, p99: 3, max: 4 };
  const curve: Curve = { kind: "curve", xLabel: "changes", xUnit: "count", points: [{ x: 100, y: 2 }] };
  const measured = outcome({
    restored: { value: 3, unit: "count" },
    visible: { value: false, unit: "boolean" },
    lagMs: { value: lag, unit: "ms" },
    loadMs: { value: curve, unit: "ms" },
  });

  it("reads each shape through its declared name", () => {
    expect(figure(measured, OBS.restored)).toBe(3);
    expect(figure(measured, OBS.visible)).toBe(false);
    expect(figure(measured, OBS.lagMs)).toEqual(lag);
    expect(figure(measured, OBS.loadMs)).toEqual(curve);
  });

  it("reads a missing figure, or one of another shape, as null rather than a wrong value", () => {
    expect(figure(measured, OBS.tampered)).toBeNull();
    expect(figure(outcome({ restored: { value: "3", unit: "count" } }), OBS.restored)).toBeNull();
    expect(figure(outcome({ lagMs: { value: 12, unit: "ms" } }), OBS.lagMs)).toBeNull();
    expect(figure(outcome({ restored: { value: Number.NaN, unit: "count" } }), OBS.restored)).toBeNull();
  });
});

describe("restoredVerdict", () => {
  const of = (restored: number, tampered: number) => outcome({ restored: { value: restored, unit: "count" }, tampered: { value: tampered, unit: "count" } });

  it("follows the counts", () => {
    expect(restoredVerdict(of(3, 3), OBS.restored, OBS.tampered)).toEqual({ symbol: "full", figure: "3/3 restored" });
    expect(restoredVerdict(of(1, 3), OBS.restored, OBS.tampered).symbol).toBe("partial");
    expect(restoredVerdict(of(0, 3), OBS.restored, OBS.tampered).symbol).toBe("none");
  });

  it("claims no verdict for a failed subject, whatever it recorded", () => {
    expect(restoredVerdict({ ...of(3, 3), status: "failed" }, OBS.restored, OBS.tampered).symbol).toBe("failed");
  });
});

describe("percent", () => {
  it("is one decimal of a share, null when there is nothing to divide", () => {
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(0, 0)).toBeNull();
  });
});

describe("what may vary between runs of one seed", () => {
  it("durations vary with timing and bytes with size; a count varies only where declared", () => {
    const names = observationNames({ waitMs: ["ms", "number"], bytesPerOp: ["bytes", "number"], lost: ["count", "number", "timing"], restored: ["count", "number"] });
    expect([names.waitMs.varies, names.bytesPerOp.varies, names.lost.varies, names.restored.varies]).toEqual(["timing", "size", "timing", null]);
  });
});
