import { beforeAll, describe, expect, it } from "vitest";
import { outcomeOf, runScenarioForTest, valueOf } from "./scenario-harness.ts";
import { OBS } from "../../../scenarios/catalog/audit.intent/observations.ts";
import { auditIntent } from "../../../scenarios/catalog/audit.intent/scenario.ts";
import type { ObservationName, ScenarioResult, SubjectOutcome } from "../../../scenarios/model/observations.ts";
import type { SubjectId } from "../../../scenarios/model/subjects.ts";

/**
 * audit.intent end to end at size "small" on the real stack: who and why are recoverable for
 * every change from the journal and from CDC with intent messages, for none from plain CDC; an
 * operator's SQL edit shows in the CDC topics without an actor, and the journal refuses it.
 */
let result: ScenarioResult;

beforeAll(async () => {
  result = await runScenarioForTest(auditIntent, 20_260_302);
}, 300_000);

const outcome = (subject: SubjectId): SubjectOutcome => outcomeOf(result, subject);

const value = <N extends ObservationName>(subject: SubjectId, name: N) => valueOf(result, subject, name);

const ALL = ["es", "cdc-plain", "cdc-intent", "cdc-default"] as const;

describe("audit.intent at size small", () => {
  it("measures every subject, each log holding every change the application made", () => {
    for (const subject of ALL) {
      expect(outcome(subject).status, `${subject}: ${outcome(subject).problem?.message ?? ""}`).toBe("measured");
      expect(value(subject, OBS.changesMade), subject).toBeGreaterThan(30);
      expect(value(subject, OBS.changesInLog), subject).toBe(value(subject, OBS.changesMade));
    }
    // Most commands gave a reason, not all: the reason column is judged over those that did.
    expect(value("es", OBS.commandsWithReason)).toBeGreaterThan(Number(value("es", OBS.changesMade)) / 2);
    expect(value("es", OBS.commandsWithReason)).toBeLessThan(Number(value("es", OBS.changesMade)));
  });

  it("recovers operation, actor and reason for every change from the journal and from CDC with intent messages", () => {
    for (const subject of ["es", "cdc-intent"] as const) {
      expect(value(subject, OBS.operationKnownPercent), subject).toBe(100);
      expect(value(subject, OBS.actorKnownPercent), subject).toBe(100);
      expect(value(subject, OBS.reasonKnownPercent), subject).toBe(100);
      expect(auditIntent.judge(outcome(subject)), subject).toEqual({ symbol: "full", figure: "actor 100%, reason 100%" });
    }
  });

  it("recovers none of them from plain CDC, whatever its replica identity", () => {
    for (const subject of ["cdc-plain", "cdc-default"] as const) {
      expect(value(subject, OBS.operationKnownPercent), subject).toBe(0);
      expect(value(subject, OBS.actorKnownPercent), subject).toBe(0);
      expect(value(subject, OBS.reasonKnownPercent), subject).toBe(0);
      expect(auditIntent.judge(outcome(subject)).symbol, subject).toBe("none");
    }
  });

  it("shows the operator's SQL edit in every CDC log without an actor, never a guessed one", () => {
    for (const subject of ["cdc-plain", "cdc-intent", "cdc-default"] as const) {
      expect(value(subject, OBS.directEditVisible), subject).toBe(true);
      expect(value(subject, OBS.directEditAttributed), subject).toBe(false);
      const trail = outcome(subject).evidence.find((evidence) => evidence.id === "audit-trail");
      expect(trail?.rows.at(-1)?.slice(1), subject).toEqual(["rows: cart_items:u", null, null]);
    }
    expect(value("cdc-plain", OBS.directEditOldValueKnown)).toBe(true);
    expect(value("cdc-default", OBS.directEditOldValueKnown)).toBe(false);
  });

  it("refuses the edit in the journal; an edit of the ES read model leaves the journal untouched", () => {
    expect(value("es", OBS.journalEditRefused)).toBe(true);
    expect(value("es", OBS.readModelRowsEdited)).toBe(1);
    expect(value("es", OBS.journalUnchanged)).toBe(true);
    expect(value("es", OBS.directEditVisible)).toBe(false);
    expect(value("es", OBS.directEditAttributed)).toBeNull();
  });

  it("gives the same cart's audit trail from every design, side by side", () => {
    const trails = ALL.map((subject) => outcome(subject).evidence.find((evidence) => evidence.id === "audit-trail"));
    for (const trail of trails) expect(trail?.columns).toEqual(["time", "operation", "actor", "reason"]);
    const esRows = trails[0]?.rows ?? [];
    expect(esRows.length).toBeGreaterThan(1);
    // The journal's trail and the intent trail agree on who did what; the intent trail has the operator's edit on top.
    expect(trails[2]?.rows.slice(0, esRows.length).map((row) => row.slice(1))).toEqual(esRows.map((row) => row.slice(1)));
    expect(trails[2]?.rows.length).toBe(esRows.length + 1);
  });
});
