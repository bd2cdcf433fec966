import { describe, expect, it } from "vitest";
import { acceptMeasures } from "../../../bench/harness/accept-measures.ts";
import type { Benchmark, Measure } from "../../../bench/harness/benchmark.ts";
import type { BenchFile } from "../../../bench/harness/bench-file.ts";
import { parseBenchFile } from "../../../bench/harness/bench-file.ts";
import { parseBenchFlags } from "../../../bench/harness/bench-flags.ts";
import { renderBenchHtml } from "../../../bench/harness/bench-html.ts";
import { renderBenchMarkdown } from "../../../bench/harness/bench-markdown.ts";
import { countStatements } from "../../../bench/harness/round-trips.ts";
import { selectBenchmarks } from "../../../bench/harness/select-benchmarks.ts";
import { targetOutcome } from "../../../bench/harness/target-check.ts";
import { dealOperations, lanesByKey, runLanes } from "../../../bench/measures-support/writer-lanes.ts";
import { LabError } from "../../../services/platform/errors.ts";

function thrown(work: () => unknown): LabError {
  try {
    work();
  } catch (error) {
    if (error instanceof LabError) return error;
    throw error;
  }
  throw new Error("expected a LabError");
}

function measure(overrides: Partial<Measure> & Pick<Measure, "id">): Measure {
  return { label: overrides.id, value: 100, unit: "rows/s", spread: null, baseline: null, ratio: null, target: null, better: "higher", settings: {}, ...overrides };
}

function benchmark(id: string, kind: Benchmark["kind"], needs?: string[]): Benchmark {
  return { id, title: id, kind, ...(needs === undefined ? {} : { needs }), run: async () => [] };
}

describe("bench flags", () => {
  it("defaults to the full suite, fsync as the stack has it, every benchmark, the size's repetitions", () => {
    expect(parseBenchFlags([])).toEqual({ quick: false, durable: false, only: [], repetitions: null, keep: false, help: false });
  });

  it("reads --quick, --durable, --only, --repetitions and --keep", () => {
    expect(parseBenchFlags(["--quick", "--durable", "--only", "journal-append,rebuild", "--repetitions", "7", "--keep"])).toEqual({
      quick: true,
      durable: true,
      only: ["journal-append", "rebuild"],
      repetitions: 7,
      keep: true,
      help: false,
    });
  });

  it.each([
    [["--only", ""]],
    [["--only", "Journal"]],
    [["--only", "rebuild,rebuild"]],
    [["--repetitions", "0"]],
    [["--repetitions", "51"]],
    [["--repetitions", "3.5"]],
    [["--quick", "--quick"]],
    [["--fast"]],
    [["extra"]],
  ])("refuses %j as a usage error", (args) => {
    expect(thrown(() => parseBenchFlags(args)).code).toBe("UsageInvalid");
  });
});

describe("selecting benchmarks", () => {
  const all = [benchmark("rebuild", "measure", ["baseline-read"]), benchmark("journal-append", "measure"), benchmark("baseline-read", "baseline"), benchmark("baseline-insert", "baseline"), benchmark("cdc-cost", "measure", ["journal-append"])];

  it("runs baselines first, then each measure after what it needs", () => {
    expect(selectBenchmarks(all, []).map((entry) => entry.id)).toEqual(["baseline-insert", "baseline-read", "journal-append", "cdc-cost", "rebuild"]);
  });

  it("brings along what --only's benchmarks need, and every baseline for a measure that names none", () => {
    expect(selectBenchmarks(all, ["rebuild"]).map((entry) => entry.id)).toEqual(["baseline-read", "rebuild"]);
    expect(selectBenchmarks(all, ["cdc-cost"]).map((entry) => entry.id)).toEqual(["baseline-insert", "baseline-read", "journal-append", "cdc-cost"]);
  });

  it("refuses an unknown id, naming the known ones", () => {
    const error = thrown(() => selectBenchmarks(all, ["nope"]));
    expect(error.code).toBe("UsageInvalid");
    expect(error.message).toContain("baseline-insert");
  });
});

describe("writer lanes", () => {
  it("deals operations round-robin and keeps one key's items in one lane, in order", () => {
    expect(dealOperations(5, 2)).toEqual([[0, 2, 4], [1, 3]]);
    const lanes = lanesByKey(["a1", "b1", "a2", "c1", "a3"], 3, (item) => item[0] as string);
    const laneOfA = lanes.find((lane) => lane.includes("a1"));
    expect(laneOfA?.filter((item) => item.startsWith("a"))).toEqual(["a1", "a2", "a3"]);
    expect(lanes.flat().sort()).toEqual(["a1", "a2", "a3", "b1", "c1"]);
  });

  it("stops every lane after a failure and throws it once all have stopped", async () => {
    const done: number[] = [];
    const failing = runLanes([[1, 2, 3], [10, 20, 30]], async (item) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (item === 1) throw new Error("first operation failed");
      done.push(item);
    });
    await expect(failing).rejects.toThrow("first operation failed");
    expect(done).toEqual([10]);
  });
});

describe("counting statements", () => {
  it.each([
    ["SELECT 1", 1],
    ["SELECT 1;", 1],
    ["BEGIN; SELECT 1; COMMIT;", 3],
    ["SELECT ';' AS semicolon", 1],
    ['SELECT 1 AS "a;b"', 1],
    ["CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; SELECT 2 $$; SELECT f()", 2],
    ["CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END $body$", 1],
    ["-- a comment; with a semicolon\nSELECT $1::int", 1],
    ["/* one; */ SELECT 1; /* two; */", 1],
  ])("%j holds %i", (sql, expected) => {
    expect(countStatements(sql)).toBe(expected);
  });
});

describe("accepting a benchmark's measures", () => {
  const measured = new Map([["baseline.insert.w1", measure({ id: "baseline.insert.w1", value: 8_000 })]]);

  it("computes the ratio from the baseline's value and stamps the run's durability on every measure", () => {
    const [accepted] = acceptMeasures("journal-append", [measure({ id: "journal.append.w1", value: 6_000, baseline: "baseline.insert.w1", ratio: 99, target: 0.7 })], measured, { fsync: "off" });
    expect(accepted?.ratio).toBeCloseTo(0.75);
    expect(accepted?.settings).toEqual({ fsync: "off" });
  });

  it("refuses a baseline not measured before, a taken id and a value that is not a number", () => {
    expect(thrown(() => acceptMeasures("x", [measure({ id: "a", baseline: "baseline.copy" })], measured, {})).message).toContain("baseline.copy");
    expect(thrown(() => acceptMeasures("x", [measure({ id: "baseline.insert.w1" })], measured, {})).message).toContain("already taken");
    expect(thrown(() => acceptMeasures("x", [measure({ id: "a", value: Number.NaN })], measured, {})).message).toContain("breaks the contract");
  });
});

describe("targets", () => {
  it("compares the ratio when there is a baseline, the value otherwise, in the measure's direction", () => {
    expect(targetOutcome(measure({ id: "a", value: 10, baseline: "b", ratio: 0.71, target: 0.7 }))).toBe("met");
    expect(targetOutcome(measure({ id: "a", value: 1e9, baseline: "b", ratio: 0.69, target: 0.7 }))).toBe("missed");
    expect(targetOutcome(measure({ id: "a", value: 49_999, target: 50_000 }))).toBe("missed");
    expect(targetOutcome(measure({ id: "a", value: 90, unit: "ms", better: "lower", target: 100 }))).toBe("met");
    expect(targetOutcome(measure({ id: "a", value: 90 }))).toBe("no target");
  });
});

describe("bench.md and bench.html", () => {
  const file: BenchFile = {
    schema: 1,
    id: "abc",
    startedAt: "2026-11-30T10:00:00.000Z",
    finishedAt: "2026-11-30T10:01:00.000Z",
    quick: true,
    durable: false,
    interrupted: false,
    machine: { cpus: 2, cpuModel: "test cpu", memoryBytes: 2 ** 34, os: "linux" },
    versions: { node: "v20", postgres: "15.20", kafka: "4.3.1", debezium: "3.6.1.Final", pg: "8.23.1", kafkajs: "2.2.4" },
    settings: { fsync: "off", synchronous_commit: "on", full_page_writes: "off", repetitions: 3 },
    measures: [
      measure({ id: "baseline.insert.w1", value: 8_000, settings: { fsync: "off", roundTripsPerOperation: 1, statementsPerOperation: 1, msPerOperation: 0.125 } }),
      measure({
        id: "journal.append.w1",
        label: "append <one> event",
        value: 4_000,
        unit: "appends/s",
        spread: { min: 3_900, max: 4_100, repetitions: 3 },
        baseline: "baseline.insert.w1",
        ratio: 0.5,
        target: 0.7,
        settings: { fsync: "off", roundTripsPerOperation: 1, statementsPerOperation: 1, msPerOperation: 0.25 },
        profile: [{ statement: "SELECT append($1, $2)", callsPerOperation: 1, msPerOperation: 0.2 }],
      }),
    ],
    problems: [],
  };

  it("round-trips through bench.json's schema", () => {
    expect(parseBenchFile(JSON.parse(JSON.stringify(file)), "test")).toEqual(file);
  });

  it("writes every measure with its ratio, target, result, per-operation counts, profile and the run's durability", () => {
    const markdown = renderBenchMarkdown(file);
    expect(markdown).toContain("fsync off, synchronous_commit on");
    expect(markdown).toContain("| `journal.append.w1` append <one> event | 4,000 appends/s | 3,900..4,100 (3 runs) | baseline.insert.w1 (8,000 rows/s) | 0.5× | ≥ 0.7× | ✗ missed | 1 / 1 |");
    expect(markdown).toContain("| `SELECT append($1, $2)` | 1 | 0.2 | 80% |");
  });

  it("draws the ratio with its target mark in a self-contained page, escaping labels", () => {
    const html = renderBenchHtml(file);
    expect(html).toContain('<svg class="chart chart-bars"');
    expect(html).toContain('class="target"');
    expect(html).toContain("append &lt;one&gt; event");
    expect(html).not.toMatch(/<script|<link rel="stylesheet"|(?:src|href)="https?:/);
  });
});
