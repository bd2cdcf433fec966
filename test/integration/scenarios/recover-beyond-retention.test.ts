import { beforeAll, describe, expect, it } from "vitest";
import { recoverBeyondRetention } from "../../../scenarios/catalog/recover-beyond-retention.ts";
import type { ScenarioResult, SubjectOutcome } from "../../../scenarios/model/observations.ts";
import type { RunContext } from "../../../scenarios/model/scenario.ts";
import type { SubjectId } from "../../../scenarios/model/subjects.ts";
import { runScenario } from "../../../scenarios/runner/run-scenario.ts";
import { SHORT_RETENTION_MS } from "../../../services/crud-cdc/cdc-variant.ts";
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
    runId: uniqueName("r").replace("_", ""),
    seed: 20_261_203,
    size: "small",
    endpoints: stack(),
    logger: createLogger("warn"),
    progress: silentProgress,
    readyTimeoutMs: 120_000,
    logTail: async () => "",
  };
  result = await runScenario(recoverBeyondRetention, 2, run);
  const summary = result.outcomes.map((entry) => ({
    subject: entry.subject,
    status: entry.status,
    problem: entry.problem?.message,
    ...Object.fromEntries(Object.entries(entry.observations).map(([name, observation]) => [name, observation.value])),
  }));
  console.info(`recover.beyond-retention in ${result.durationMs} ms: ${JSON.stringify(summary)}`);
}, 300_000);

describe("recover.beyond-retention at size small", () => {
  it("measures every subject, with the bad change older than the short retention", () => {
    for (const subject of recoverBeyondRetention.subjects) {
      expect(outcome(subject).status, `${subject}: ${outcome(subject).problem?.message}`).toBe("measured");
      expect(value(subject, "cartsAffected"), subject).toBe(3);
      expect(value(subject, "badChangeAgeMs"), subject).toBeGreaterThan(SHORT_RETENTION_MS);
    }
  });

  it("restores every affected cart exactly from the journal", () => {
    expect(value("es", "badChangeInLog")).toBe(true);
    expect(value("es", "cartsRestorable")).toBe(3);
    expect(value("es", "cartsRestoredExactly")).toBe(3);
    expect(recoverBeyondRetention.judge(outcome("es")).symbol).toBe("full");
  });

  it("restores every affected cart exactly from topics that keep everything", () => {
    expect(value("cdc-plain", "badChangeInLog")).toBe(true);
    expect(value("cdc-plain", "cartsRestorable")).toBe(3);
    expect(value("cdc-plain", "cartsRestoredExactly")).toBe(3);
    expect(recoverBeyondRetention.judge(outcome("cdc-plain")).symbol).toBe("full");
  });

  it("restores nothing once retention deleted the carts' past from the topics, and knows it", () => {
    expect(value("cdc-short-retention", "badChangeInLog")).toBe(false);
    expect(value("cdc-short-retention", "cartsRestorable")).toBe(0);
    expect(value("cdc-short-retention", "cartsRestoredExactly")).toBe(0);
    expect(value("cdc-short-retention", "historyOldestAgeMs")).toBeLessThan(value("cdc-short-retention", "badChangeAgeMs") as number);
    expect(recoverBeyondRetention.judge(outcome("cdc-short-retention")).symbol).toBe("none");
  });
});
