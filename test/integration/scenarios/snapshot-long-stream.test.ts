import { beforeAll, describe, expect, it } from "vitest";
import { outcomeOf, runScenarioForTest, valueOf } from "./scenario-harness.ts";
import { STREAM_LENGTHS } from "../../../scenarios/catalog/snapshot.long-stream/long-stream.ts";
import { OBS } from "../../../scenarios/catalog/snapshot.long-stream/observations.ts";
import { REPETITIONS, snapshotLongStream } from "../../../scenarios/catalog/snapshot.long-stream/scenario.ts";
import type { Curve, ScenarioResult } from "../../../scenarios/model/observations.ts";
import { SUBJECTS } from "../../../scenarios/model/subjects.ts";
import type { SubjectId } from "../../../scenarios/model/subjects.ts";

/**
 * snapshot.long-stream end to end at size "small" on the real stack: one cart per subject grows
 * through its own apply to 100, 1,000 and 3,000 changes; at each length its current state and
 * its state at half the changes are loaded from the subject's own store and compared with the
 * runner's record. Timings are reported, never asserted; what is asserted is what was read.
 */
let result: ScenarioResult;
const SUBJECT_LIST = ["es", "es-no-snapshots", "crud", "cdc-plain"] as const;
const LENGTHS = STREAM_LENGTHS.small;

beforeAll(async () => {
  result = await runScenarioForTest(snapshotLongStream, 20_261_130);
}, 600_000);

function curveOf(subject: SubjectId, name: typeof OBS.loadMs): Curve {
  const value = valueOf(result, subject, name);
  if (value === null) throw new Error(`${subject} has no ${name.name} curve`);
  return value;
}

const xs = (curve: Curve) => curve.points.map((point) => point.x);

describe("snapshot.long-stream at size small", () => {
  it("measures every subject", () => {
    for (const subject of SUBJECT_LIST) {
      const outcome = outcomeOf(result, subject);
      expect(outcome.status, `${subject}: ${outcome.problem?.message ?? ""}`).toBe("measured");
      expect(valueOf(result, subject, OBS.largestLength), subject).toBe(LENGTHS[2]);
      expect(valueOf(result, subject, OBS.repetitions), subject).toBe(REPETITIONS);
    }
  });

  it("loads the recorded cart every time, from every store that keeps it, now and at half its changes", () => {
    const loadsPerLength = { es: 2, "es-no-snapshots": 2, crud: 1, "cdc-plain": 2 } as const;
    for (const subject of SUBJECT_LIST) {
      expect(valueOf(result, subject, OBS.loadsTotal), subject).toBe(loadsPerLength[subject] * REPETITIONS * LENGTHS.length);
      expect(valueOf(result, subject, OBS.loadsMatched), subject).toBe(valueOf(result, subject, OBS.loadsTotal));
      expect(snapshotLongStream.judge(outcomeOf(result, subject)).symbol, subject).not.toBe("none");
    }
    expect(valueOf(result, "crud", OBS.pastReadable)).toBe(false);
    for (const subject of ["es", "es-no-snapshots", "cdc-plain"] as const) expect(valueOf(result, subject, OBS.pastReadable), subject).toBe(true);
  });

  it("draws one point per length in every curve", () => {
    for (const subject of SUBJECT_LIST) {
      expect(xs(curveOf(subject, OBS.loadMs)), subject).toEqual([...LENGTHS]);
      expect(xs(curveOf(subject, OBS.commandMs)), subject).toEqual([...LENGTHS]);
      for (const point of curveOf(subject, OBS.loadMs).points) expect(point.y, subject).toBeGreaterThan(0);
    }
    for (const subject of ["es", "es-no-snapshots", "cdc-plain"] as const) {
      expect(xs(curveOf(subject, OBS.recordsRead)), subject).toEqual([...LENGTHS]);
      expect(xs(curveOf(subject, OBS.pastLoadMs)), subject).toEqual([...LENGTHS]);
      expect(xs(curveOf(subject, OBS.pastRecordsRead)), subject).toEqual([...LENGTHS]);
    }
    expect(valueOf(result, "crud", OBS.recordsRead)).toBeNull();
    expect(valueOf(result, "crud", OBS.pastLoadMs)).toBeNull();
  });

  it("reads at most one snapshot interval of events with snapshots, and the whole stream without", () => {
    const snapshotEvery = SUBJECTS.es.design === "es" ? SUBJECTS.es.journal.snapshotEvery : null;
    expect(snapshotEvery).not.toBeNull();
    for (const point of curveOf("es", OBS.recordsRead).points) expect(point.y, `es at ${point.x}`).toBeLessThanOrEqual(snapshotEvery ?? 0);
    for (const point of curveOf("es-no-snapshots", OBS.recordsRead).points) expect(point.y, `es-no-snapshots at ${point.x}`).toBe(point.x);
    expect(valueOf(result, "es-no-snapshots", OBS.recordsReadAtLargest)).toBe(LENGTHS[2]);
  });

  it("reads the events up to the past version from the journal, whose only snapshot lies after it", () => {
    for (const point of curveOf("es-no-snapshots", OBS.pastRecordsRead).points) expect(point.y, `at ${point.x}`).toBe(Math.floor(point.x / 2));
    for (const point of curveOf("es", OBS.pastRecordsRead).points) expect(point.y, `at ${point.x}`).toBeLessThanOrEqual(Math.floor(point.x / 2));
  });

  it("replays every change event the topics hold, now and for the past alike", () => {
    const now = curveOf("cdc-plain", OBS.recordsRead).points;
    const past = curveOf("cdc-plain", OBS.pastRecordsRead).points;
    for (const point of now) expect(point.y, `at ${point.x}`).toBeGreaterThanOrEqual(point.x);
    expect(past.map((point) => point.y)).toEqual(now.map((point) => point.y));
  });
});
