import { beforeAll, describe, expect, it } from "vitest";
import { outcomeOf, runScenarioForTest, valueOf } from "./scenario-harness.ts";
import { recoverTamperedState } from "../../../scenarios/catalog/recover-tampered-state.ts";
import type { ScenarioResult, SubjectOutcome } from "../../../scenarios/model/observations.ts";
import type { SubjectId } from "../../../scenarios/model/subjects.ts";

let result: ScenarioResult;

const outcome = (subject: SubjectId): SubjectOutcome => outcomeOf(result, subject);

const value = (subject: SubjectId, name: string) => valueOf(result, subject, name);

beforeAll(async () => {
  result = await runScenarioForTest(recoverTamperedState, 20_261_201);
}, 300_000);

describe("recover.tampered-state at size small", () => {
  it("measures every subject", () => {
    for (const subject of recoverTamperedState.subjects) expect(outcome(subject).status, `${subject}: ${outcome(subject).problem?.message}`).toBe("measured");
  });

  it("tampers with the same carts in every subject", () => {
    const tampered = value("es", "cartsTampered");
    expect(tampered).toBe(3);
    for (const subject of recoverTamperedState.subjects) expect(value(subject, "cartsTampered"), subject).toBe(tampered);
  });

  it("restores every tampered cart exactly from the journal and from the topics, without touching the others", () => {
    for (const subject of ["es", "cdc-plain", "cdc-intent"] as const) {
      expect(value(subject, "cartsRestoredExactly"), subject).toBe(value(subject, "cartsTampered"));
      expect(value(subject, "otherCartsIntact"), subject).toBe(true);
      expect(value(subject, "restoreMs"), subject).toEqual(expect.any(Number));
      expect(recoverTamperedState.judge(outcome(subject)).symbol, subject).toBe("full");
    }
  });

  it("rewrites exactly the tampered carts from the topics", () => {
    for (const subject of ["cdc-plain", "cdc-intent"] as const) expect(value(subject, "cartsRewritten"), subject).toBe(value(subject, "cartsTampered"));
  });

  it("restores nothing from the CRUD tables alone, and says so as a measurement", () => {
    expect(value("crud", "cartsRestoredExactly")).toBe(0);
    expect(value("crud", "restoreMs")).toBeNull();
    expect(recoverTamperedState.judge(outcome("crud")).symbol).toBe("none");
  });

  it("shows the edit in the CDC topics, unattributed, and not in the journal", () => {
    expect(value("cdc-plain", "editVisibleInLog")).toBe(true);
    expect(value("cdc-intent", "editVisibleInLog")).toBe(true);
    expect(value("es", "editVisibleInLog")).toBe(false);
    expect(value("crud", "editVisibleInLog")).toBe(false);
    expect(value("cdc-plain", "editAttributed")).toBe(false);
    expect(value("cdc-intent", "editAttributed")).toBe(false);
    // Nothing in the log, so nothing to attribute.
    expect(value("es", "editAttributed")).toBeNull();
    expect(value("crud", "editAttributed")).toBeNull();
    // Only where every application change carries intent does a change without it stand out.
    expect(value("cdc-intent", "editStandsOut")).toBe(true);
    expect(value("cdc-plain", "editStandsOut")).toBe(false);
    const evidence = outcome("cdc-plain").evidence.find((entry) => entry.id === "cdc-plain-edit-on-topics");
    expect(evidence?.rows.length).toBeGreaterThanOrEqual(3);
    for (const row of evidence?.rows ?? []) expect(row[4]).toBeNull();
  });
});
