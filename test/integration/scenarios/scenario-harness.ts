import type { ObservationValue, ScenarioResult, SubjectOutcome } from "../../../scenarios/model/observations.ts";
import type { RunContext, Scenario } from "../../../scenarios/model/scenario.ts";
import type { SubjectId } from "../../../scenarios/model/subjects.ts";
import { runScenario } from "../../../scenarios/runner/run-scenario.ts";
import { createLogger } from "../../../services/platform/logger.ts";
import { createStderrProgress } from "../../../services/platform/progress.ts";
import { stack } from "../support/stack.ts";
import { uniqueName } from "../support/test-lab.ts";

/** Runs one scenario end to end at the small size on the shared test stack, and prints what it measured. */
export async function runScenarioForTest<S>(scenario: Scenario<S>, seed: number): Promise<ScenarioResult> {
  const run: RunContext = {
    runId: uniqueName("t").replace("_", ""),
    seed,
    size: "small",
    endpoints: stack(),
    logger: createLogger("warn"),
    progress: createStderrProgress(scenario.id),
    readyTimeoutMs: 120_000,
    logTail: async () => "",
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

export function valueOf(result: ScenarioResult, subject: SubjectId, name: string): ObservationValue | undefined {
  return outcomeOf(result, subject).observations[name]?.value;
}
