import { beforeAll, describe, expect, it } from "vitest";
import { outcomeOf, runScenarioForTest, valueOf } from "./scenario-harness.ts";
import { OBS } from "../../../scenarios/catalog/reconstruct.as-of/observations.ts";
import { reconstructAsOf } from "../../../scenarios/catalog/reconstruct.as-of/scenario.ts";
import type { ObservationName, ScenarioResult, SubjectOutcome } from "../../../scenarios/model/observations.ts";
import type { SubjectId } from "../../../scenarios/model/subjects.ts";

/**
 * reconstruct.as-of end to end at size "small" on the real stack: the journal and CDC with full
 * retention from the start answer every probe exactly; compacted topics and a late connector
 * lose probes, and say why (compaction happened, history starts with a snapshot). Run twice
 * with one seed: the same seed must give the same observations, timings aside.
 */
const SEED = 20_260_301;
let result: ScenarioResult;
let again: ScenarioResult;

beforeAll(async () => {
  result = await runScenarioForTest(reconstructAsOf, SEED);
  again = await runScenarioForTest(reconstructAsOf, SEED);
}, 300_000);

/** Every observation of every subject but the timings (unit ms), in a comparable form. */
function withoutTimings(run: ScenarioResult): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    run.outcomes.map((entry) => [
      entry.subject,
      { status: entry.status, ...Object.fromEntries(Object.entries(entry.observations).filter(([, observation]) => observation.unit !== "ms").map(([name, observation]) => [name, observation.value])) },
    ]),
  );
}

const outcome = (subject: SubjectId): SubjectOutcome => outcomeOf(result, subject);

const value = <N extends ObservationName>(subject: SubjectId, name: N) => valueOf(result, subject, name);

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
      expect(value(subject, OBS.probesTotal), subject).toBeGreaterThan(40);
      expect(value(subject, OBS.probesMatched), subject).toBe(value(subject, OBS.probesTotal));
      expect(value(subject, OBS.matchPercent), subject).toBe(100);
      expect(value(subject, OBS.probesLost), subject).toBe(0);
      expect(reconstructAsOf.judge(outcome(subject)).symbol, subject).toBe("full");
    }
    expect(value("cdc-plain", OBS.historyStartsWithSnapshot)).toBe(false);
    expect(value("cdc-plain", OBS.compactionHappened)).toBe(false);
  });

  it("asks every subject the same probes", () => {
    const totals = (["es", "cdc-plain", "cdc-default", "cdc-compacted", "cdc-late"] as const).map((subject) => value(subject, OBS.probesTotal));
    expect(new Set(totals).size).toBe(1);
  });

  it("loses probes on compacted topics once Kafka really compacted them, and counts them", () => {
    expect(value("cdc-compacted", OBS.compactionHappened)).toBe(true);
    expect(value("cdc-compacted", OBS.recordsCompactedAway)).toBeGreaterThan(0);
    expect(value("cdc-compacted", OBS.probesLost)).toBeGreaterThan(0);
    expect(value("cdc-compacted", OBS.matchPercent)).toBeLessThan(100);
  });

  it("loses the probes before a late connector's snapshot, and its history starts with that snapshot", () => {
    expect(value("cdc-late", OBS.historyStartsWithSnapshot)).toBe(true);
    expect(value("cdc-late", OBS.snapshotRecords)).toBeGreaterThan(0);
    expect(value("cdc-late", OBS.probesLost)).toBeGreaterThan(0);
    expect(value("cdc-late", OBS.matchPercent)).toBeLessThan(100);
    expect(value("cdc-late", OBS.matchPercent)).toBeGreaterThan(0);
    expect(reconstructAsOf.judge(outcome("cdc-late")).symbol).toBe("partial");
  });

  it("gives the same observations for the same seed, the compacted topics' included", () => {
    expect(valueOf(again, "cdc-compacted", OBS.changeEventsRead)).toBe(value("cdc-compacted", OBS.changeEventsRead));
    expect(valueOf(again, "cdc-compacted", OBS.recordsCompactedAway)).toBe(value("cdc-compacted", OBS.recordsCompactedAway));
    expect(withoutTimings(again)).toEqual(withoutTimings(result));
  });

  it("times every probe", () => {
    for (const subject of ["es", "cdc-plain", "cdc-compacted"] as const) expect(value(subject, OBS.msPerProbe), subject).toBeGreaterThan(0);
  });
});
