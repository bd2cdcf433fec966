import { beforeAll, describe, expect, it } from "vitest";
import { outcomeOf, runScenarioForTest, valueOf } from "./scenario-harness.ts";
import { OBS } from "../../../scenarios/catalog/recover.beyond-retention/observations.ts";
import { recoverBeyondRetention } from "../../../scenarios/catalog/recover.beyond-retention/scenario.ts";
import type { ObservationName, ScenarioResult, SubjectOutcome } from "../../../scenarios/model/observations.ts";
import type { SubjectId } from "../../../scenarios/model/subjects.ts";
import { SHORT_RETENTION_MS } from "../../../services/crud-cdc/cdc-variant.ts";

let result: ScenarioResult;

const outcome = (subject: SubjectId): SubjectOutcome => outcomeOf(result, subject);

const value = <N extends ObservationName>(subject: SubjectId, name: N) => valueOf(result, subject, name);

beforeAll(async () => {
  result = await runScenarioForTest(recoverBeyondRetention, 20_261_203);
}, 300_000);

describe("recover.beyond-retention at size small", () => {
  it("measures every subject, with the bad change older than the short retention", () => {
    for (const subject of recoverBeyondRetention.subjects) {
      expect(outcome(subject).status, `${subject}: ${outcome(subject).problem?.message}`).toBe("measured");
      expect(value(subject, OBS.cartsAffected), subject).toBe(3);
      expect(value(subject, OBS.badChangeAgeMs), subject).toBeGreaterThan(SHORT_RETENTION_MS);
    }
  });

  it("restores every affected cart exactly from the journal", () => {
    expect(value("es", OBS.badChangeInLog)).toBe(true);
    expect(value("es", OBS.cartsRestorable)).toBe(3);
    expect(value("es", OBS.cartsRestoredExactly)).toBe(3);
    expect(recoverBeyondRetention.judge(outcome("es")).symbol).toBe("full");
  });

  it("restores every affected cart exactly from topics that keep everything", () => {
    expect(value("cdc-plain", OBS.badChangeInLog)).toBe(true);
    expect(value("cdc-plain", OBS.cartsRestorable)).toBe(3);
    expect(value("cdc-plain", OBS.cartsRestoredExactly)).toBe(3);
    expect(recoverBeyondRetention.judge(outcome("cdc-plain")).symbol).toBe("full");
  });

  it("restores nothing once retention deleted the carts' past from the topics, and knows it", () => {
    expect(value("cdc-short-retention", OBS.badChangeInLog)).toBe(false);
    expect(value("cdc-short-retention", OBS.cartsRestorable)).toBe(0);
    expect(value("cdc-short-retention", OBS.cartsRestoredExactly)).toBe(0);
    expect(value("cdc-short-retention", OBS.historyOldestAgeMs)).toBeLessThan(value("cdc-short-retention", OBS.badChangeAgeMs) as number);
    expect(recoverBeyondRetention.judge(outcome("cdc-short-retention")).symbol).toBe("none");
  });
});
