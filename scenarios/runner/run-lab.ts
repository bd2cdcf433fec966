import { findLatestBench } from "../report/latest-bench.ts";
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
import { runMarker } from "../kit/drivers/open-driver.ts";
import { reportOrphans } from "./orphans.ts";
import { removeRunNote, writeRunNote } from "./run-record.ts";
import { countResources, describeResources, findRunResources, removeRunResources } from "./run-resources.ts";

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
  /** How the run was asked for, for its note (`run --size small`). */
  command: string;
  /** Aborted on Ctrl-C / SIGTERM: the run stops before its next step and removes what it created. */
  signal: AbortSignal;
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
  interrupted: boolean;
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
  await reportOrphans(deps.config.labDir, up.endpoints, deps.logger, deps.progress);
  const marker = runMarker(runId);
  // Written before anything is created: a run killed from here on is found by `up`, `run` and `clean`.
  writeRunNote(deps.config.labDir, { runId, marker, pid: process.pid, command: options.command, startedAt });
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
    signal: options.signal,
  };
  const results: LabResults = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId,
    startedAt,
    finishedAt: startedAt,
    seed: options.seed,
    size: options.size,
    runtime: deps.runtime.kind,
    // A replicated cluster reports one `kafka-N` row per node beside `kafka`; a single broker none.
    kafkaBrokers: Math.max(1, status.components.filter((component) => /^kafka-\d+$/.test(component.component)).length),
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
      if (options.signal.aborted) {
        results.notRun.push({ id: scenario.id, reason: "the run was interrupted" });
        continue;
      }
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
    await removeWhatTheRunCreated(runId, marker, up.endpoints, deps);
    // Stop only a stack this run started whole; one that was (partly) running stays as it was.
    const startedWhole = (["postgres", "kafka", "connect"] as const).every((component) => up.started.includes(component));
    if (startedWhole && !options.keep) await deps.runtime.down(deps.progress, { purge: false });
  }
  const resultsFile = path.join(outDir, "results.json");
  writeResults(resultsFile, results);
  const report = writeReport(results, SCENARIOS, outDir, findLatestBench(path.join(deps.config.projectDir, "reports"), deps.logger));
  const complete = results.notRun.length === 0 && results.scenarios.every((scenario) => scenario.outcomes.every((outcome) => outcome.status !== "failed"));
  return { results, files: { results: resultsFile, markdown: report.markdown, html: report.html }, matrix: renderMatrix(results, SCENARIOS, { columns: process.stdout.columns }), complete, interrupted: options.signal.aborted };
}

/**
 * Every subject disposes what it created, but a failed or interrupted step can leave more (a
 * consumer group, the topics, which subjects keep until the run ends): whatever still carries
 * the run's marker goes now, and the run's note with it once nothing is left.
 */
async function removeWhatTheRunCreated(runId: string, marker: string, endpoints: RunContext["endpoints"], deps: RunLabDeps): Promise<void> {
  await deps.progress.step(`removing what run ${runId} created`, async () => {
    let found;
    try {
      found = await findRunResources(endpoints, deps.logger, [marker]);
    } catch (error) {
      // The run's outcome stands; its note stays, so `up`, `run` and `clean` find the leftovers later.
      deps.progress.note(`could not look for what run ${runId} left (${describeError(error)}); \`cdc-es-lab clean --yes\` retries`);
      return;
    }
    const problems = await removeRunResources(endpoints, deps.logger, found);
    if (problems.length > 0) {
      deps.progress.note(`could not remove everything run ${runId} created (${problems.join("; ")}); \`cdc-es-lab clean --yes\` retries`);
      return;
    }
    removeRunNote(deps.config.labDir, runId);
    deps.progress.note(countResources(found) === 0 ? "nothing was left" : `removed ${countResources(found)}: ${describeResources(found)}`);
  });
}

function kafkajsVersion(): string {
  const version = (createRequire(import.meta.url)("kafkajs/package.json") as { version?: unknown }).version;
  return typeof version === "string" ? version : "unknown";
}
