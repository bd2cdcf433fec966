import { beforeAll, describe, expect, it } from "vitest";
import { outcomeOf, runScenarioForTest, valueOf } from "./scenario-harness.ts";
import { OBS } from "../../../scenarios/catalog/recover.bad-deploy/observations.ts";
import { recoverBadDeploy } from "../../../scenarios/catalog/recover.bad-deploy/scenario.ts";
import type { ObservationName, ScenarioResult, SubjectOutcome } from "../../../scenarios/model/observations.ts";
import type { SubjectId } from "../../../scenarios/model/subjects.ts";

let result: ScenarioResult;

const outcome = (subject: SubjectId): SubjectOutcome => outcomeOf(result, subject);

const value = <N extends ObservationName>(subject: SubjectId, name: N) => valueOf(result, subject, name);

beforeAll(async () => {
  result = await runScenarioForTest(recoverBadDeploy, 20_261_202);
}, 300_000);

describe("recover.bad-deploy at size small", () => {
  it("measures every subject against the same truth", () => {
    for (const subject of recoverBadDeploy.subjects) expect(outcome(subject).status, `${subject}: ${outcome(subject).problem?.message}`).toBe("measured");
    const truth = value("es", OBS.truthAffected);
    expect(truth).toEqual(expect.any(Number));
    expect(truth).toBeGreaterThan(0);
    for (const subject of recoverBadDeploy.subjects) expect(value(subject, OBS.truthAffected), subject).toBe(truth);
  });

  it("finds exactly the affected carts in the journal", () => {
    expect(value("es", OBS.found)).toBe(value("es", OBS.truthAffected));
    expect(value("es", OBS.precision)).toBe(100);
    expect(value("es", OBS.recall)).toBe(100);
  });

  it("finds exactly the affected carts in the topics, with or without intent, by time window", () => {
    for (const subject of ["cdc-intent", "cdc-plain"] as const) {
      expect(value(subject, OBS.precision), subject).toBe(100);
      expect(value(subject, OBS.recall), subject).toBe(100);
    }
  });

  it("misses revoked bad discounts and takes goodwill discounts for the bug when only the current rows are there", () => {
    expect(value("crud", OBS.recall)).toBeLessThan(100);
    expect(value("crud", OBS.precision)).toBeLessThan(100);
  });

  it("fixes every fixable cart exactly where the finding was exact, and skips checked-out carts", () => {
    for (const subject of ["es", "cdc-intent", "cdc-plain"] as const) {
      expect(value(subject, OBS.fixable), subject).toBeLessThan(value(subject, OBS.found) as number);
      expect(value(subject, OBS.fixed), subject).toBe(value(subject, OBS.fixable));
      expect(value(subject, OBS.fixedExactly), subject).toBe(value(subject, OBS.fixable));
      expect(recoverBadDeploy.judge(outcome(subject)).symbol, subject).toBe("full");
    }
    expect(value("crud", OBS.fixedExactly)).toBeLessThan(value("crud", OBS.fixable) as number);
    expect(recoverBadDeploy.judge(outcome("crud")).symbol).toBe("partial");
  });

  it("keeps the fix with its actor and reason in the journal and in intent messages only", () => {
    expect(value("es", OBS.fixAudited)).toBe(true);
    expect(value("cdc-intent", OBS.fixAudited)).toBe(true);
    expect(value("cdc-plain", OBS.fixAudited)).toBe(false);
    expect(value("crud", OBS.fixAudited)).toBe(false);
  });
});
