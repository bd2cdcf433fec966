import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RESULTS_SCHEMA_VERSION, parseResults, readResults, writeResults } from "../../../scenarios/results/results-file.ts";
import { LabError } from "../../../services/platform/errors.ts";

function results(schemaVersion: number, value: unknown): Record<string, unknown> {
  return {
    schemaVersion,
    runId: "r1",
    startedAt: "2026-11-30T00:00:00.000Z",
    finishedAt: "2026-11-30T00:01:00.000Z",
    seed: 1,
    size: "small",
    runtime: "local",
    machine: { cpus: 2, memoryBytes: 1, platform: "linux", cpuModel: "x" },
    versions: { postgres: "15", kafka: "4.3.1", debezium: "3.6.1.Final", node: "v20", kafkajs: "2.2.4" },
    notRun: [],
    scenarios: [
      {
        id: "lag.read-model",
        claim: "How stale is each read model?",
        startedAt: "2026-11-30T00:00:00.000Z",
        durationMs: 10,
        outcomes: [{ subject: "es", status: "measured", observations: { lagMs: { value, unit: "ms" } }, evidence: [], problem: null, durationMs: 10 }],
      },
    ],
  };
}

const lag = { kind: "distribution", count: 2, p50: 1, p95: 2, p99: 2, max: 2 };
const curve = { kind: "curve", xLabel: "changes", xUnit: "count", points: [{ x: 100, y: 1.5 }] };

describe("results.json", () => {
  it("is written as the current version with distributions and curves, and reads back the same", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "results-"));
    const file = path.join(dir, "results.json");
    const written = parseResults(results(RESULTS_SCHEMA_VERSION, lag), "test");
    writeResults(file, written);
    expect(JSON.parse(readFileSync(file, "utf8")).schemaVersion).toBe(2);
    expect(readResults(file)).toEqual(written);
    expect(parseResults(results(2, curve), "test").scenarios[0]?.outcomes[0]?.observations["lagMs"]?.value).toEqual(curve);
  });

  it("still reads a version 1 file, as the current version", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "results-"));
    const file = path.join(dir, "results.json");
    writeFileSync(file, JSON.stringify(results(1, 12.5)));
    const read = readResults(file);
    expect(read.schemaVersion).toBe(RESULTS_SCHEMA_VERSION);
    expect(read.scenarios[0]?.outcomes[0]?.observations["lagMs"]?.value).toBe(12.5);
  });

  it("refuses an unknown version and a malformed distribution with a typed error", () => {
    expect(() => parseResults(results(3, 1), "future.json")).toThrow(LabError);
    expect(() => parseResults(results(2, { kind: "distribution", count: 1 }), "bad.json")).toThrow(/bad\.json/);
  });
});
