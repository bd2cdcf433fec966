import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { readResults } from "../../scenarios/results/results-file.ts";
import type { LabResults } from "../../scenarios/results/results-file.ts";
import { seedDifferences } from "../../scenarios/results/same-seed.ts";
import { runCli } from "../integration/support/run-cli.ts";

/**
 * `run --runtime docker` on the compose lab the setup started (the same compose project, so the
 * CLI finds it up and leaves it so), against the local runtime with the same seed: the same
 * observations, apart from those marked as varying with timing or size.
 */
const SCENARIO_IDS = ["reconstruct.as-of", "audit.intent"];
const SEED = 11;
const RUN_TIMEOUT_MS = 900_000;

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

async function runOn(runtime: "docker" | "local"): Promise<LabResults> {
  const out = tempDir(`lab-${runtime}-run-`);
  // A lab directory of its own: the local run starts (and then stops) a stack of its own there,
  // and the docker run records nothing in a developer's .lab.
  const env = { ...process.env, LAB_DIR: tempDir(`lab-${runtime}-dir-`), LAB_RUNTIME: undefined, LAB_DOCKER_FLAVOR: inject("dockerLab").flavor };
  const result = await runCli(["run", ...SCENARIO_IDS, "--size", "small", "--seed", String(SEED), "--out", out, "--runtime", runtime], env, RUN_TIMEOUT_MS);
  expect(result.code, `${runtime}: ${result.stderr.slice(-3000)}`).toBe(0);
  const results = readResults(path.join(out, "results.json"));
  expect(results.runtime).toBe(runtime);
  expect(results.seed).toBe(SEED);
  return results;
}

describe("run --runtime docker", () => {
  it("gives the same observations as the local runtime with the same seed, times aside", async () => {
    const docker = await runOn("docker");
    expect(docker.scenarios.map((scenario) => scenario.id)).toEqual(SCENARIO_IDS);
    const failed = docker.scenarios.flatMap((scenario) => scenario.outcomes.filter((outcome) => outcome.status === "failed").map((outcome) => `${scenario.id}/${outcome.subject}`));
    expect(failed).toEqual([]);
    const local = await runOn("local");
    expect(seedDifferences(local, docker)).toEqual([]);
  }, 2 * RUN_TIMEOUT_MS);
});
