import { beforeAll, describe, expect, it } from "vitest";
import { outcomeOf, runScenarioForTest, valueOf } from "./scenario-harness.ts";
import { OBS } from "../../../scenarios/catalog/recover.tampered-state/observations.ts";
import { recoverTamperedState } from "../../../scenarios/catalog/recover.tampered-state/scenario.ts";
import type { ObservationName, ScenarioResult, SubjectOutcome } from "../../../scenarios/model/observations.ts";
import type { SubjectId } from "../../../scenarios/model/subjects.ts";

let result: ScenarioResult;

const outcome = (subject: SubjectId): SubjectOutcome => outcomeOf(result, subject);

const value = <N extends ObservationName>(subject: SubjectId, name: N) => valueOf(result, subject, name);

beforeAll(async () => {
  result = await runScenarioForTest(recoverTamperedState, 20_261_201);
}, 300_000);

describe("recover.tampered-state at size small", () => {
  it("measures every subject", () => {
    for (const subject of recoverTamperedState.subjects) expect(outcome(subject).status, `${subject}: ${outcome(subject).problem?.message}`).toBe("measured");
  });

  it("tampers with the same carts in every subject", () => {
    const tampered = value("es", OBS.cartsTampered);
    expect(tampered).toBe(3);
    for (const subject of recoverTamperedState.subjects) expect(value(subject, OBS.cartsTampered), subject).toBe(tampered);
  });

  it("restores every tampered cart exactly from the journal and from the topics, without touching the others", () => {
    for (const subject of ["es", "cdc-plain", "cdc-intent"] as const) {
      expect(value(subject, OBS.cartsRestoredExactly), subject).toBe(value(subject, OBS.cartsTampered));
      expect(value(subject, OBS.otherCartsIntact), subject).toBe(true);
      expect(value(subject, OBS.restoreMs), subject).toEqual(expect.any(Number));
      expect(recoverTamperedState.judge(outcome(subject)).symbol, subject).toBe("full");
    }
  });

  it("rewrites exactly the tampered carts from the topics", () => {
    for (const subject of ["cdc-plain", "cdc-intent"] as const) expect(value(subject, OBS.cartsRewritten), subject).toBe(value(subject, OBS.cartsTampered));
  });

  it("restores nothing from the CRUD tables alone, and says so as a measurement", () => {
    expect(value("crud", OBS.cartsRestoredExactly)).toBe(0);
    expect(value("crud", OBS.restoreMs)).toBeNull();
    expect(recoverTamperedState.judge(outcome("crud")).symbol).toBe("none");
  });

  it("shows the edit in the CDC topics, unattributed, and not in the journal", () => {
    expect(value("cdc-plain", OBS.editVisibleInLog)).toBe(true);
    expect(value("cdc-intent", OBS.editVisibleInLog)).toBe(true);
    expect(value("es", OBS.editVisibleInLog)).toBe(false);
    expect(value("crud", OBS.editVisibleInLog)).toBe(false);
    expect(value("cdc-plain", OBS.editAttributed)).toBe(false);
    expect(value("cdc-intent", OBS.editAttributed)).toBe(false);
    // Nothing in the log, so nothing to attribute.
    expect(value("es", OBS.editAttributed)).toBeNull();
    expect(value("crud", OBS.editAttributed)).toBeNull();
    // Only where every application change carries intent does a change without it stand out.
    expect(value("cdc-intent", OBS.editStandsOut)).toBe(true);
    expect(value("cdc-plain", OBS.editStandsOut)).toBe(false);
    const evidence = outcome("cdc-plain").evidence.find((entry) => entry.id === "cdc-plain-edit-on-topics");
    expect(evidence?.rows.length).toBeGreaterThanOrEqual(3);
    for (const row of evidence?.rows ?? []) expect(row[4]).toBeNull();
  });
});
