import { beforeAll, describe, expect, it } from "vitest";
import { outcomeOf, runScenarioForTest, valueOf } from "./scenario-harness.ts";
import { reconstructAsOf } from "../../../scenarios/catalog/reconstruct-as-of.ts";
import type { ScenarioResult, SubjectOutcome } from "../../../scenarios/model/observations.ts";
import type { SubjectId } from "../../../scenarios/model/subjects.ts";

/**
 * reconstruct.as-of end to end at size "small" on the real stack: the journal and CDC with full
 * retention from the start answer every probe exactly; compacted topics and a late connector
 * lose probes, and say why (compaction happened, history starts with a snapshot).
 */
let result: ScenarioResult;

beforeAll(async () => {
  result = await runScenarioForTest(reconstructAsOf, 20_260_301);
}, 300_000);

const outcome = (subject: SubjectId): SubjectOutcome => outcomeOf(result, subject);

const value = (subject: SubjectId, name: string) => valueOf(result, subject, name);

describe("reconstruct.as-of at size small", () => {
  it("measures every subject but the CRUD tables, which refuse the past", () => {
    for (const subject of ["es", "cdc-plain", "cdc-default", "cdc-compacted", "cdc-late"] as const) {
      expect(outcome(subject).status, `${subject}: ${outcome(subject).problem?.message ?? ""}`).toBe("measured");
    }
    expect(outcome("crud").status).toBe("unsupported");
    expect(outcome("crud").problem?.message).toMatch(/only the present/);
  });

  it("answers every probe exactly from the journal and from CDC topics kept in full since the start", () => {
    for (const subject of ["es", "cdc-plain", "cdc-default"] as const) {
      expect(value(subject, "probesTotal"), subject).toBeGreaterThan(40);
      expect(value(subject, "probesMatched"), subject).toBe(value(subject, "probesTotal"));
      expect(value(subject, "matchPercent"), subject).toBe(100);
      expect(value(subject, "probesLost"), subject).toBe(0);
      expect(reconstructAsOf.judge(outcome(subject)).symbol, subject).toBe("full");
    }
    expect(value("cdc-plain", "historyStartsWithSnapshot")).toBe(false);
    expect(value("cdc-plain", "compactionHappened")).toBe(false);
  });

  it("asks every subject the same probes", () => {
    const totals = (["es", "cdc-plain", "cdc-default", "cdc-compacted", "cdc-late"] as const).map((subject) => value(subject, "probesTotal"));
    expect(new Set(totals).size).toBe(1);
  });

  it("loses probes on compacted topics once Kafka really compacted them, and counts them", () => {
    expect(value("cdc-compacted", "compactionHappened")).toBe(true);
    expect(value("cdc-compacted", "recordsCompactedAway")).toBeGreaterThan(0);
    expect(value("cdc-compacted", "probesLost")).toBeGreaterThan(0);
    expect(value("cdc-compacted", "matchPercent")).toBeLessThan(100);
  });

  it("loses the probes before a late connector's snapshot, and its history starts with that snapshot", () => {
    expect(value("cdc-late", "historyStartsWithSnapshot")).toBe(true);
    expect(value("cdc-late", "snapshotRecords")).toBeGreaterThan(0);
    expect(value("cdc-late", "probesLost")).toBeGreaterThan(0);
    expect(value("cdc-late", "matchPercent")).toBeLessThan(100);
    expect(value("cdc-late", "matchPercent")).toBeGreaterThan(0);
    expect(reconstructAsOf.judge(outcome("cdc-late")).symbol).toBe("partial");
  });

  it("times every probe", () => {
    for (const subject of ["es", "cdc-plain", "cdc-compacted"] as const) expect(value(subject, "msPerProbe"), subject).toBeGreaterThan(0);
  });
});
