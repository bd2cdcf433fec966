import { figure } from "../../../scenarios/kit/figures.ts";
import type { ObservationName, ScenarioResult, SubjectOutcome, ValueOf } from "../../../scenarios/model/observations.ts";
import type { RunContext, Scenario } from "../../../scenarios/model/scenario.ts";
import type { SubjectId } from "../../../scenarios/model/subjects.ts";
import { runScenario } from "../../../scenarios/runner/run-scenario.ts";
import { createStackControl } from "../../../scenarios/runner/stack-control.ts";
import { parseConfig } from "../../../services/platform/config.ts";
import { createLogger } from "../../../services/platform/logger.ts";
import { createStderrProgress } from "../../../services/platform/progress.ts";
import { chooseRuntimeKind, createRuntime } from "../../../services/runtime/create-runtime.ts";
import { stack } from "../support/stack.ts";
import { testStackLabDir, uniqueName } from "../support/test-lab.ts";

/** Runs one scenario end to end at the small size on the shared test stack, and prints what it measured. */
export async function runScenarioForTest<S>(scenario: Scenario<S>, seed: number): Promise<ScenarioResult> {
  // The shared test stack's own runtime (the one stack-setup.ts brought up), for scenarios that inject faults.
  const config = parseConfig({ ...process.env, LAB_DIR: testStackLabDir() });
  const logger = createLogger("warn");
  const progress = createStderrProgress(scenario.id);
  const runtime = createRuntime(chooseRuntimeKind(config, null), config, logger);
  const run: RunContext = {
    runId: uniqueName("t").replace("_", ""),
    seed,
    size: "small",
    endpoints: stack(),
    logger,
    progress,
    readyTimeoutMs: 120_000,
    logTail: (component, lines) => runtime.logTail(component, lines),
    stack: createStackControl(runtime, progress),
    signal: new AbortController().signal,
  };
  const result = await runScenario(scenario, 1, run);
  const summary = result.outcomes.map((entry) => ({
    subject: entry.subject,
    status: entry.status,
    problem: entry.problem?.message,
    ...Object.fromEntries(Object.entries(entry.observations).map(([name, observation]) => [name, observation.value])),
  }));
  console.info(`${scenario.id} in ${result.durationMs} ms: ${JSON.stringify(summary)}`);
  return result;
}

export function outcomeOf(result: ScenarioResult, subject: SubjectId): SubjectOutcome {
  const found = result.outcomes.find((candidate) => candidate.subject === subject);
  if (found === undefined) throw new Error(`no outcome for ${subject}`);
  return found;
}

/** A subject's figure, read through the name the scenario declared (kit/figures.ts). */
export function valueOf<N extends ObservationName>(result: ScenarioResult, subject: SubjectId, name: N): ValueOf<N> {
  return figure(outcomeOf(result, subject), name);
}
