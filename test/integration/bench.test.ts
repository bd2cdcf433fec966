import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readBenchFile } from "../../bench/harness/bench-file.ts";
import { readRunNotes } from "../../scenarios/runner/run-record.ts";
import { findRunResources } from "../../scenarios/runner/run-resources.ts";
import { createLogger } from "../../services/platform/logger.ts";
import { stack } from "./support/stack.ts";
import { PROJECT_DIR, testStackLabDir } from "./support/test-lab.ts";

/**
 * `npm run bench -- --quick` as the README runs it, on the shared test stack: the shape of what
 * it writes, never a timing. Every figure is checked for the contract's fields, every ratio
 * against its baseline's value in the same file, and the targets where it names them.
 */
const QUICK_SUITE_TIMEOUT_MS = 900_000;

/** The targets issue 8 names, by measure id: a ratio to the baseline, or (rebuild.absolute) a rate. */
const NAMED_TARGETS: Record<string, { baseline: string | null; target: number }> = {
  "journal.append.w1": { baseline: "baseline.insert.w1", target: 0.7 },
  "journal.append.w8": { baseline: "baseline.insert.w8", target: 0.7 },
  "journal.append-batch": { baseline: "baseline.copy", target: 0.5 },
  "es.command.w1": { baseline: "baseline.insert.w1", target: 0.4 },
  "es.command.w8": { baseline: "baseline.insert.w8", target: 0.4 },
  "crud.command.w1": { baseline: "baseline.insert.w1", target: 0.3 },
  "crud.command.w8": { baseline: "baseline.insert.w8", target: 0.3 },
  "rebuild.vs-raw-read": { baseline: "baseline.read", target: 0.5 },
  "rebuild.absolute": { baseline: null, target: 50_000 },
};

function runNpmBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", "bench", "--", ...args], {
      cwd: PROJECT_DIR,
      // The runtime the test stack's lab directory recorded, as the other CLI tests run it.
      env: Object.fromEntries(Object.entries({ ...process.env, LAB_DIR: testStackLabDir(), LAB_RUNTIME: undefined }).filter((entry): entry is [string, string] => entry[1] !== undefined)),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), QUICK_SUITE_TIMEOUT_MS - 10_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("npm run bench -- --quick", () => {
  it("writes bench.json with every measure in the contract's shape, bench.md and a self-contained bench.html, and leaves nothing on the stack", async () => {
    const result = await runNpmBench(["--quick"]);
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    const jsonPath = /^results: (.+bench\.json)$/m.exec(result.stdout)?.[1];
    expect(jsonPath, result.stdout).toBeDefined();
    const dir = path.dirname(jsonPath as string);
    try {
      const file = readBenchFile(jsonPath as string);
      expect(file.quick).toBe(true);
      expect(file.durable).toBe(false);
      expect(file.interrupted).toBe(false);
      expect(file.problems).toEqual([]);
      expect(file.machine.cpus).toBeGreaterThan(0);
      expect(file.versions).toMatchObject({ node: process.version, postgres: expect.any(String), kafka: expect.any(String), debezium: expect.stringContaining("Final") });
      expect(["on", "off"]).toContain(file.settings["fsync"]);

      const byId = new Map(file.measures.map((measure) => [measure.id, measure]));
      expect(byId.size).toBe(file.measures.length);
      for (const id of ["baseline.insert.w1", "baseline.insert.w8", "baseline.copy", "baseline.read", ...Object.keys(NAMED_TARGETS)]) expect([...byId.keys()]).toContain(id);
      for (const measure of file.measures) {
        expect(measure.value, measure.id).toBeGreaterThanOrEqual(0);
        // Every figure says the durability it was measured under.
        expect(measure.settings["fsync"], measure.id).toBe(file.settings["fsync"]);
        expect(measure.settings["synchronous_commit"], measure.id).toBe(file.settings["synchronous_commit"]);
        if (measure.baseline === null) {
          expect(measure.ratio, measure.id).toBeNull();
        } else {
          const baseline = byId.get(measure.baseline);
          if (baseline === undefined) throw new Error(`${measure.id} names baseline ${measure.baseline}, which bench.json does not hold`);
          expect(file.measures.indexOf(baseline), `${measure.baseline} is measured before ${measure.id}`).toBeLessThan(file.measures.indexOf(measure));
          expect(measure.ratio, measure.id).toBeCloseTo(measure.value / baseline.value, 9);
        }
        if (measure.spread !== null) expect(measure.spread.min, measure.id).toBeLessThanOrEqual(measure.spread.max);
      }
      for (const [id, named] of Object.entries(NAMED_TARGETS)) {
        const measure = byId.get(id);
        expect({ id, baseline: measure?.baseline, target: measure?.target, better: measure?.better }).toEqual({ id, baseline: named.baseline, target: named.target, better: "higher" });
        // Round trips and statements per command are counted, so they are there and plausible.
        expect(measure?.settings["roundTripsPerOperation"], id).toBeGreaterThanOrEqual(1);
        expect(measure?.settings["statementsPerOperation"], id).toBeGreaterThanOrEqual(measure?.settings["roundTripsPerOperation"] as number);
      }

      const markdown = readFileSync(path.join(dir, "bench.md"), "utf8");
      for (const measure of file.measures) expect(markdown).toContain(`\`${measure.id}\``);
      const html = readFileSync(path.join(dir, "bench.html"), "utf8");
      expect(html).toContain("<svg");
      expect(html).not.toMatch(/<script|(?:src|href)="https?:/);
      expect(result.stdout).toContain(path.join(dir, "bench.html"));

      // Everything the run created carries bench_<id> and is gone, and so is its note.
      const nothing = { connectors: [], slots: [], publications: [], schemas: [], topics: [], groups: [] };
      expect(await findRunResources(stack(), createLogger("warn"), [`bench_${file.id}`])).toEqual(nothing);
      expect(readRunNotes(testStackLabDir()).map((note) => note.runId)).not.toContain(file.id);
    } finally {
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    }
  }, QUICK_SUITE_TIMEOUT_MS);

  it("refuses an unknown flag before touching the stack, with the usage", async () => {
    const result = await runNpmBench(["--fast"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("UsageInvalid");
    expect(result.stderr).toContain("--repetitions N");
  });
});
