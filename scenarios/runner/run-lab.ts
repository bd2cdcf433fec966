import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type { LabConfig } from "../../services/platform/config.ts";
import { LabError, describeError } from "../../services/platform/errors.ts";
import type { Logger } from "../../services/platform/logger.ts";
import type { Progress } from "../../services/platform/progress.ts";
import type { Runtime, StackStatus } from "../../services/runtime/runtime.ts";
import { SCENARIOS } from "../catalog/index.ts";
import type { RunContext, RunSize, Scenario } from "../model/scenario.ts";
import { renderMatrix } from "../report/report-terminal.ts";
import { writeReport } from "../report/write-report.ts";
import { RESULTS_SCHEMA_VERSION, writeResults } from "../results/results-file.ts";
import type { LabResults } from "../results/results-file.ts";
import { runScenario } from "./run-scenario.ts";
import { createStackControl } from "./stack-control.ts";

/**
 * The lab's main job: start what is not running, run the scenarios against both designs and
 * the CDC variants, write results.json and the report from it, print the matrix, and stop what
 * it started unless asked to keep it.
 */
export interface RunLabOptions {
  /** Scenario ids; empty runs them all. */
  ids: string[];
  seed: number;
  size: RunSize;
  /** Where results.json and the report go; default reports/<run id>. */
  outDir: string | null;
  keep: boolean;
}

export interface RunLabDeps {
  config: LabConfig;
  logger: Logger;
  runtime: Runtime;
  progress: Progress;
}

export interface RunLabOutcome {
  results: LabResults;
  files: { results: string; markdown: string; html: string };
  matrix: string;
  /** False when a scenario did not run or a subject failed: the report says which. */
  complete: boolean;
}

export function selectScenarios(ids: string[]): Scenario<unknown>[] {
  if (ids.length === 0) return SCENARIOS;
  const unknown = ids.filter((id) => !SCENARIOS.some((scenario) => scenario.id === id));
  if (unknown.length > 0) {
    throw new LabError("UsageInvalid", `unknown scenario ${unknown.map((id) => JSON.stringify(id)).join(", ")}; known: ${SCENARIOS.map((scenario) => scenario.id).join(", ")}`);
  }
  return SCENARIOS.filter((scenario) => ids.includes(scenario.id));
}

function versionOf(status: StackStatus, component: string): string | null {
  return status.components.find((entry) => entry.component === component)?.version ?? null;
}

export async function runLab(options: RunLabOptions, deps: RunLabDeps): Promise<RunLabOutcome> {
  const scenarios = selectScenarios(options.ids);
  const runId = Date.now().toString(36);
  const startedAt = new Date().toISOString();
  const outDir = options.outDir ?? path.join(deps.config.projectDir, "reports", runId);
  const up = await deps.runtime.up(deps.progress);
  const status = up.status;
  const run: RunContext = {
    runId,
    seed: options.seed,
    size: options.size,
    endpoints: up.endpoints,
    logger: deps.logger,
    progress: deps.progress,
    readyTimeoutMs: deps.config.readyTimeoutMs,
    logTail: (component, lines) => deps.runtime.logTail(component, lines),
    stack: createStackControl(deps.runtime, deps.progress),
  };
  const results: LabResults = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId,
    startedAt,
    finishedAt: startedAt,
    seed: options.seed,
    size: options.size,
    runtime: deps.runtime.kind,
    machine: { cpus: os.cpus().length, memoryBytes: os.totalmem(), platform: `${os.platform()} ${os.release()}`, cpuModel: os.cpus()[0]?.model ?? "unknown" },
    versions: {
      postgres: versionOf(status, "postgres"),
      kafka: versionOf(status, "kafka"),
      debezium: versionOf(status, "connector"),
      node: process.version,
      kafkajs: kafkajsVersion(),
    },
    notRun: [],
    scenarios: [],
  };
  try {
    for (const [index, scenario] of scenarios.entries()) {
      try {
        results.scenarios.push(await runScenario(scenario, index, run));
      } catch (error) {
        // The runner isolates subjects; reaching here means the scenario itself could not run.
        results.notRun.push({ id: scenario.id, reason: describeError(error) });
        deps.logger.error({ scenario: scenario.id, err: describeError(error) }, "scenario did not run");
      }
    }
  } finally {
    results.finishedAt = new Date().toISOString();
    // Stop only a stack this run started whole; one that was (partly) running stays as it was.
    const startedWhole = (["postgres", "kafka", "connect"] as const).every((component) => up.started.includes(component));
    if (startedWhole && !options.keep) await deps.runtime.down(deps.progress, { purge: false });
  }
  const resultsFile = path.join(outDir, "results.json");
  writeResults(resultsFile, results);
  const report = writeReport(results, SCENARIOS, outDir);
  const complete = results.notRun.length === 0 && results.scenarios.every((scenario) => scenario.outcomes.every((outcome) => outcome.status !== "failed"));
  return { results, files: { results: resultsFile, markdown: report.markdown, html: report.html }, matrix: renderMatrix(results, SCENARIOS), complete };
}

function kafkajsVersion(): string {
  const version = (createRequire(import.meta.url)("kafkajs/package.json") as { version?: unknown }).version;
  return typeof version === "string" ? version : "unknown";
}
