import { describe, expect, it } from "vitest";
import { parseResults } from "../../../scenarios/results/results-file.ts";
import type { LabResults } from "../../../scenarios/results/results-file.ts";
import { seedDifferences } from "../../../scenarios/results/same-seed.ts";

function run(observations: Record<string, unknown>, status = "measured"): LabResults {
  return parseResults(
    {
      schemaVersion: 2,
      runId: "r",
      startedAt: "2026-11-30T00:00:00.000Z",
      finishedAt: "2026-11-30T00:00:01.000Z",
      seed: 3,
      size: "small",
      runtime: "local",
      machine: { cpus: 2, memoryBytes: 1, platform: "linux", cpuModel: "x" },
      versions: { postgres: null, kafka: null, debezium: null, node: "v20", kafkajs: "2.2.4" },
      notRun: [],
      scenarios: [{ id: "s", claim: "c", startedAt: "2026-11-30T00:00:00.000Z", durationMs: 1, outcomes: [{ subject: "es", status, observations, evidence: [], problem: null, durationMs: 1 }] }],
    },
    "test",
  );
}

describe("same seed, same observations", () => {
  const base = { matched: { value: 20, unit: "count" }, waitMs: { value: 2300, unit: "ms", varies: "timing" }, bytes: { value: 900, unit: "bytes", varies: "size" } };

  it("two runs that differ only in timing and size agree", () => {
    expect(seedDifferences(run(base), run({ ...base, waitMs: { value: 2100, unit: "ms", varies: "timing" }, bytes: { value: 950, unit: "bytes", varies: "size" } }))).toEqual([]);
  });

  it("names every figure the seed fixes that differs, a missing one and a status", () => {
    expect(seedDifferences(run(base), run({ ...base, matched: { value: 19, unit: "count" } }))).toEqual(["s/es/matched: 20 ≠ 19"]);
    expect(seedDifferences(run(base), run({ waitMs: base.waitMs, bytes: base.bytes }))).toEqual(["s/es/matched: 20 ≠ (absent)"]);
    expect(seedDifferences(run(base), run(base, "failed"))).toEqual(['s/es/(status): measured ≠ failed']);
  });
});
