import { describe, expect, it } from "vitest";
import type { Measure } from "../../../bench/harness/benchmark.ts";
import type { BenchFile } from "../../../bench/harness/bench-file.ts";
import { NO_BENCH, designCosts } from "../../../scenarios/report/design-costs.ts";

function measure(overrides: Partial<Measure> & Pick<Measure, "id">): Measure {
  return { label: overrides.id, value: 100, unit: "commands/s", spread: null, baseline: null, ratio: null, target: null, better: "higher", settings: {}, ...overrides };
}

function bench(measures: Measure[], quick = false): BenchFile {
  return {
    schema: 1,
    id: "mxbench1",
    startedAt: "2026-11-30T10:00:00.000Z",
    finishedAt: "2026-11-30T10:09:00.000Z",
    quick,
    durable: false,
    interrupted: false,
    machine: { cpus: 2, cpuModel: "Test CPU", memoryBytes: 1, os: "linux" },
    versions: { node: "v20", postgres: "15", kafka: null, debezium: null, pg: "8", kafkajs: "2" },
    settings: { fsync: "off" },
    measures,
    problems: [],
  };
}

describe("what each design costs, quoted from the latest bench run", () => {
  it("quotes every measure but the baselines, with its ratio and whether it met its target", () => {
    const costs = designCosts(
      bench([
        measure({ id: "baseline.insert.w1", value: 1_000, unit: "rows/s" }),
        measure({ id: "es.command.w1", value: 450, baseline: "baseline.insert.w1", ratio: 0.45, target: 0.4 }),
        measure({ id: "crud.command.w1", value: 250, baseline: "baseline.insert.w1", ratio: 0.25, target: 0.3 }),
        measure({ id: "latency.cdc-tuned.p99", value: 140, unit: "ms", better: "lower", target: 100 }),
      ]),
    );
    expect(costs?.rows.map((row) => row.id)).toEqual(["es.command.w1", "crud.command.w1", "latency.cdc-tuned.p99"]);
    expect(costs?.rows[0]).toMatchObject({ value: "450 commands/s", ratio: "0.45× baseline.insert.w1", target: "≥ 0.4× ✓ met" });
    expect(costs?.rows[1]?.target).toBe("≥ 0.3× ✗ missed");
    expect(costs?.rows[2]).toMatchObject({ ratio: "", target: "≤ 100 ms ✗ missed" });
  });

  it("says which run it quotes, when, under which fsync, and warns that a quick run is a smoke test", () => {
    const full = designCosts(bench([]));
    expect(full?.provenance).toContain("bench run mxbench1, finished 2026-11-30T10:09:00.000Z: the full suite, fsync off");
    expect(designCosts(bench([], true))?.provenance).toContain("quick suite");
  });

  it("says when the run measured only some benchmarks (--only), and not when it measured them all", () => {
    const partial = { ...bench([]), settings: { fsync: "off", benchmarks: "es-command,rebuild" } };
    expect(designCosts(partial)?.provenance).toContain("the full suite, only es-command,rebuild (--only: the other figures were not measured in that run)");
    const whole = { ...bench([]), settings: { fsync: "off", benchmarks: "all" } };
    expect(designCosts(whole)?.provenance).not.toContain("--only");
  });

  it("is absent before any bench ran, and the report says how to get it", () => {
    expect(designCosts(null)).toBeNull();
    expect(NO_BENCH).toContain("npm run bench");
  });
});
