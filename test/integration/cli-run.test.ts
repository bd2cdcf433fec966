import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SCENARIOS } from "../../scenarios/catalog/index.ts";
import { runMarker } from "../../scenarios/kit/drivers/open-driver.ts";
import { readResults } from "../../scenarios/results/results-file.ts";
import type { LabResults } from "../../scenarios/results/results-file.ts";
import { seedDifferences } from "../../scenarios/results/same-seed.ts";
import { readRunNotes } from "../../scenarios/runner/run-record.ts";
import { findRunResources } from "../../scenarios/runner/run-resources.ts";
import { createLogger } from "../../services/platform/logger.ts";
import { runCli } from "./support/run-cli.ts";
import { stack } from "./support/stack.ts";
import { testStackLabDir } from "./support/test-lab.ts";

/**
 * The README's first command at the small size, as a user runs it: every scenario on both
 * designs, results.json and the report written, the matrix printed. The shared test stack is
 * already up, so `run` must leave it running.
 */
/** A whole run of the catalog at the small size on the shared test stack, as a user starts it. */
async function runAll(seed: number): Promise<{ out: string; result: Awaited<ReturnType<typeof runCli>> }> {
  const out = mkdtempSync(path.join(os.tmpdir(), "lab-run-"));
  const result = await runCli(["run", "--size", "small", "--seed", String(seed), "--out", out], { ...process.env, LAB_DIR: testStackLabDir(), LAB_RUNTIME: undefined }, 1_200_000);
  return { out, result };
}

/** Which subjects failed and why, or which scenarios did not run: what a non-zero exit means. */
function problemsOf(out: string): string {
  if (!existsSync(path.join(out, "results.json"))) return "no results.json was written";
  const results = readResults(path.join(out, "results.json"));
  return JSON.stringify({
    notRun: results.notRun,
    failed: results.scenarios.flatMap((scenario) => scenario.outcomes.filter((outcome) => outcome.status === "failed").map((outcome) => `${scenario.id}/${outcome.subject}: ${outcome.problem?.message}`)),
  });
}

let first: LabResults | null = null;

describe("cdc-es-lab run", () => {
  it("runs every scenario, writes a valid results.json, report.md and report.html, and prints the matrix", async () => {
    const { out, result } = await runAll(7);
    expect(result.code, `${problemsOf(out)}\n${result.stderr.slice(-2000)}`).toBe(0);

    const results = readResults(path.join(out, "results.json"));
    first = results;
    expect(results.scenarios.map((scenario) => scenario.id)).toEqual(SCENARIOS.map((scenario) => scenario.id));
    expect(results.notRun).toEqual([]);
    expect(results.seed).toBe(7);
    expect(results.versions).toMatchObject({ kafka: expect.any(String), debezium: expect.stringContaining("Final"), postgres: expect.any(String), kafkajs: "2.2.4" });
    const failed = results.scenarios.flatMap((scenario) => scenario.outcomes.filter((outcome) => outcome.status === "failed").map((outcome) => `${scenario.id}/${outcome.subject}: ${outcome.problem?.message}`));
    expect(failed).toEqual([]);

    const markdown = readFileSync(path.join(out, "report.md"), "utf8");
    for (const scenario of SCENARIOS) expect(markdown).toContain(scenario.id);
    expect(existsSync(path.join(out, "report.html"))).toBe(true);
    // The matrix on stdout, with its legend, and the paths of what was written.
    expect(result.stdout).toContain("reconstruct.as-of");
    expect(result.stdout).toContain("full:");
    expect(result.stdout).toContain(path.join(out, "report.html"));
    // Nothing of the run is left on the stack (schemas, slots, publications, connectors, topics, groups), nor its note.
    const nothing = { connectors: [], slots: [], publications: [], schemas: [], topics: [], groups: [] };
    expect(await findRunResources(stack(), createLogger("warn"), [runMarker(results.runId)])).toEqual(nothing);
    expect(readRunNotes(testStackLabDir()).map((note) => note.runId)).not.toContain(results.runId);
    expect(result.stderr).toContain(`removing what run ${results.runId} created ok`);
    // The stack was up before the run, so the run left it up.
    expect((await runCli(["status", "--json"], { ...process.env, LAB_DIR: testStackLabDir(), LAB_RUNTIME: undefined })).code).toBe(0);
  }, 1_200_000);

  it("gives the same observations for the same seed, apart from what varies with timing and size", async () => {
    if (first === null) throw new Error("the first run did not finish: nothing to compare with");
    const { out, result } = await runAll(7);
    expect(result.code, problemsOf(out)).toBe(0);
    expect(seedDifferences(first, readResults(path.join(out, "results.json")))).toEqual([]);
  }, 1_200_000);

  it("stops on Ctrl-C after the current step, removes what it created, says so and exits 130", async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), "lab-run-"));
    const result = await runCli(["run", "reconstruct.as-of", "audit.intent", "--size", "small", "--out", out], { ...process.env, LAB_DIR: testStackLabDir(), LAB_RUNTIME: undefined }, 300_000, {
      // Interrupted once its first subjects exist: the moment that used to leave schemas, slots and connectors behind.
      signalWhen: (stderr) => /reconstruct\.as-of: opening \d+ subjects ok \(/.test(stderr),
    });
    expect(result.code, result.stderr.slice(-3000)).toBe(130);
    expect(result.stderr).toContain("SIGINT: stopping after the current step");
    const results = readResults(path.join(out, "results.json"));
    expect(results.notRun.map((entry) => entry.id)).toContain("audit.intent");
    const nothing = { connectors: [], slots: [], publications: [], schemas: [], topics: [], groups: [] };
    expect(await findRunResources(stack(), createLogger("warn"), [runMarker(results.runId)])).toEqual(nothing);
    expect(readRunNotes(testStackLabDir()).map((note) => note.runId)).not.toContain(results.runId);
  }, 300_000);

  it("refuses an unknown scenario id before starting anything, naming the known ones", async () => {
    const result = await runCli(["run", "no.such.scenario"], { ...process.env, LAB_DIR: testStackLabDir(), LAB_RUNTIME: undefined });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown scenario "no.such.scenario"; known: reconstruct.as-of');
  });
});
