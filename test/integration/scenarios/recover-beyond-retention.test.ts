import { beforeAll, describe, expect, it } from "vitest";
import { outcomeOf, runScenarioForTest, valueOf } from "./scenario-harness.ts";
import { recoverBeyondRetention } from "../../../scenarios/catalog/recover-beyond-retention.ts";
import type { ScenarioResult, SubjectOutcome } from "../../../scenarios/model/observations.ts";
import type { SubjectId } from "../../../scenarios/model/subjects.ts";
import { SHORT_RETENTION_MS } from "../../../services/crud-cdc/cdc-variant.ts";

let result: ScenarioResult;

const outcome = (subject: SubjectId): SubjectOutcome => outcomeOf(result, subject);

const value = (subject: SubjectId, name: string) => valueOf(result, subject, name);

beforeAll(async () => {
  result = await runScenarioForTest(recoverBeyondRetention, 20_261_203);
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
