import { beforeAll, describe, expect, it } from "vitest";
import { outcomeOf, runScenarioForTest, valueOf } from "./scenario-harness.ts";
import { recoverBadDeploy } from "../../../scenarios/catalog/recover-bad-deploy.ts";
import type { ScenarioResult, SubjectOutcome } from "../../../scenarios/model/observations.ts";
import type { SubjectId } from "../../../scenarios/model/subjects.ts";

let result: ScenarioResult;

const outcome = (subject: SubjectId): SubjectOutcome => outcomeOf(result, subject);

const value = (subject: SubjectId, name: string) => valueOf(result, subject, name);

beforeAll(async () => {
  result = await runScenarioForTest(recoverBadDeploy, 20_261_202);
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
