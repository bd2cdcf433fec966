import { beforeAll, describe, expect, it } from "vitest";
import { recoverBadDeploy } from "../../../scenarios/catalog/recover-bad-deploy.ts";
import type { ScenarioResult, SubjectOutcome } from "../../../scenarios/model/observations.ts";
import type { RunContext } from "../../../scenarios/model/scenario.ts";
import type { SubjectId } from "../../../scenarios/model/subjects.ts";
import { runScenario } from "../../../scenarios/runner/run-scenario.ts";
import { createLogger } from "../../../services/platform/logger.ts";
import { silentProgress } from "../../../services/platform/progress.ts";
import { stack } from "../support/stack.ts";
import { uniqueName } from "../support/test-lab.ts";

let result: ScenarioResult;

function outcome(subject: SubjectId): SubjectOutcome {
  const found = result.outcomes.find((candidate) => candidate.subject === subject);
  if (found === undefined) throw new Error(`no outcome for ${subject}`);
  return found;
}

const value = (subject: SubjectId, name: string) => outcome(subject).observations[name]?.value;

beforeAll(async () => {
  const run: RunContext = {
    runId: uniqueName("b").replace("_", ""),
    seed: 20_261_202,
    size: "small",
    endpoints: stack(),
    logger: createLogger("warn"),
    progress: silentProgress,
    readyTimeoutMs: 120_000,
    logTail: async () => "",
  };
  result = await runScenario(recoverBadDeploy, 1, run);
  const summary = result.outcomes.map((entry) => ({
    subject: entry.subject,
    status: entry.status,
    problem: entry.problem?.message,
    ...Object.fromEntries(Object.entries(entry.observations).map(([name, observation]) => [name, observation.value])),
  }));
  console.info(`recover.bad-deploy in ${result.durationMs} ms: ${JSON.stringify(summary)}`);
}, 300_000);

describe("recover.bad-deploy at size small", () => {
  it("measures every subject against the same truth", () => {
    for (const subject of recoverBadDeploy.subjects) expect(outcome(subject).status, `${subject}: ${outcome(subject).problem?.message}`).toBe("measured");
    const truth = value("es", "truthAffected");
    expect(truth).toEqual(expect.any(Number));
    expect(truth).toBeGreaterThan(0);
    for (const subject of recoverBadDeploy.subjects) expect(value(subject, "truthAffected"), subject).toBe(truth);
  });

  it("finds exactly the affected carts in the journal", () => {
    expect(value("es", "found")).toBe(value("es", "truthAffected"));
    expect(value("es", "precision")).toBe(100);
    expect(value("es", "recall")).toBe(100);
  });

  it("finds exactly the affected carts in the topics, with or without intent, by time window", () => {
    for (const subject of ["cdc-intent", "cdc-plain"] as const) {
      expect(value(subject, "precision"), subject).toBe(100);
      expect(value(subject, "recall"), subject).toBe(100);
    }
  });

  it("misses revoked bad discounts and takes goodwill discounts for the bug when only the current rows are there", () => {
    expect(value("crud", "recall")).toBeLessThan(100);
    expect(value("crud", "precision")).toBeLessThan(100);
  });

  it("fixes every fixable cart exactly where the finding was exact, and skips checked-out carts", () => {
    for (const subject of ["es", "cdc-intent", "cdc-plain"] as const) {
      expect(value(subject, "fixable"), subject).toBeLessThan(value(subject, "found") as number);
      expect(value(subject, "fixed"), subject).toBe(value(subject, "fixable"));
      expect(value(subject, "fixedExactly"), subject).toBe(value(subject, "fixable"));
      expect(recoverBadDeploy.judge(outcome(subject)).symbol, subject).toBe("full");
    }
    expect(value("crud", "fixedExactly")).toBeLessThan(value("crud", "fixable") as number);
    expect(recoverBadDeploy.judge(outcome("crud")).symbol).toBe("partial");
  });

  it("keeps the fix with its actor and reason in the journal and in intent messages only", () => {
    expect(value("es", "fixAudited")).toBe(true);
    expect(value("cdc-intent", "fixAudited")).toBe(true);
    expect(value("cdc-plain", "fixAudited")).toBe(false);
    expect(value("crud", "fixAudited")).toBe(false);
  });
});
