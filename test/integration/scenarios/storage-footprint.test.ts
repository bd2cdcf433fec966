import { beforeAll, describe, expect, it } from "vitest";
import { outcomeOf, runScenarioForTest, valueOf } from "./scenario-harness.ts";
import { bytesPerOperation } from "../../../scenarios/catalog/storage.footprint/least-squares.ts";
import { OBS } from "../../../scenarios/catalog/storage.footprint/observations.ts";
import { storageFootprint } from "../../../scenarios/catalog/storage.footprint/scenario.ts";
import type { Curve, ObservationName, ScenarioResult, SubjectOutcome } from "../../../scenarios/model/observations.ts";
import type { SubjectId } from "../../../scenarios/model/subjects.ts";

/**
 * storage.footprint end to end at size "small" on the real stack: three sizes measured per
 * subject from PostgreSQL's relation sizes and WAL positions and the brokers' log dirs, bytes
 * growing with the operations, and the WAL a stopped connector's slot keeps. No byte count is
 * expected here: only how the measured ones relate to each other.
 */
let result: ScenarioResult;

beforeAll(async () => {
  result = await runScenarioForTest(storageFootprint, 20_261_130);
}, 600_000);

const outcome = (subject: SubjectId): SubjectOutcome => outcomeOf(result, subject);
const value = <N extends ObservationName>(subject: SubjectId, name: N) => valueOf(result, subject, name);
const cdcSubjects = ["cdc-plain", "cdc-compacted"] as const;

function curveOf(subject: SubjectId, name: ObservationName<"curve">): Curve {
  const curve = value(subject, name);
  if (curve === null) throw new Error(`${subject} has no ${name.name} curve`);
  return curve;
}

function evidenceRows(subject: SubjectId, id: string) {
  const evidence = outcome(subject).evidence.find((entry) => entry.id === id);
  if (evidence === undefined) throw new Error(`${subject} has no evidence ${id}`);
  return evidence;
}

describe("storage.footprint at size small", () => {
  it("measures every subject", () => {
    for (const subject of storageFootprint.subjects) expect(outcome(subject).status, `${subject}: ${outcome(subject).problem?.message ?? ""}`).toBe("measured");
  });

  it("measures every subject at three sizes of the same workload", () => {
    const xs = curveOf("es", OBS.storedBytes).points.map((point) => point.x);
    expect(xs).toHaveLength(3);
    expect(xs[0]).toBeGreaterThan(0);
    expect(xs[1]).toBeGreaterThan(xs[0] as number);
    expect(xs[2]).toBeGreaterThan(xs[1] as number);
    for (const subject of storageFootprint.subjects) {
      expect(curveOf(subject, OBS.storedBytes).points.map((point) => point.x), subject).toEqual(xs);
      expect(value(subject, OBS.operations), subject).toBe(xs[2]);
    }
  });

  it("sees the bytes a kept history takes grow with the operations: the journal's, and the topics'", () => {
    for (const subject of ["es", ...cdcSubjects] as const) {
      const stored = curveOf(subject, OBS.storedBytes).points.map((point) => point.y);
      expect(stored[1], subject).toBeGreaterThan(stored[0] as number);
      expect(stored[2], subject).toBeGreaterThan(stored[1] as number);
      expect(value(subject, OBS.storedBytesPerOp), subject).toBeGreaterThan(0);
    }
  });

  it("sees the CRUD tables, which keep only the present, never shrink as operations are added", () => {
    const stored = curveOf("crud", OBS.storedBytes).points.map((point) => point.y);
    expect(stored[1]).toBeGreaterThanOrEqual(stored[0] as number);
    expect(stored[2]).toBeGreaterThanOrEqual(stored[1] as number);
    expect(value("crud", OBS.storedBytesPerOp)).toBeGreaterThanOrEqual(0);
  });

  it("counts each subject's own WAL records (pg_walinspect): growing at every size, and within the WAL the whole cluster wrote meanwhile", () => {
    for (const subject of storageFootprint.subjects) {
      expect(value(subject, OBS.walAccounting), subject).toBe("pg_walinspect");
      const own = curveOf(subject, OBS.walBytes).points.map((point) => point.y);
      expect(own[1], subject).toBeGreaterThan(own[0] as number);
      expect(own[2], subject).toBeGreaterThan(own[1] as number);
      const evidence = evidenceRows(subject, "bytes-by-size");
      const cluster = evidence.rows.map((row) => Number(row[evidence.columns.indexOf("cluster WAL")]));
      for (const [index, bytes] of own.entries()) expect(bytes, subject).toBeLessThanOrEqual(cluster[index] as number);
      expect(value(subject, OBS.walBytesPerOp), subject).toBeGreaterThan(0);
    }
  });

  it("gives each slope as the least-squares fit of the measured points", () => {
    for (const subject of storageFootprint.subjects) {
      expect(value(subject, OBS.storedBytesPerOp), subject).toBe(bytesPerOperation(curveOf(subject, OBS.storedBytes).points));
      expect(value(subject, OBS.walBytesPerOp), subject).toBe(bytesPerOperation(curveOf(subject, OBS.walBytes).points));
    }
  });

  it("adds up the stored bytes from the relation sizes and log-dir sizes it read", () => {
    for (const subject of storageFootprint.subjects) {
      const evidence = evidenceRows(subject, "bytes-by-size");
      const column = (name: string) => evidence.columns.indexOf(name);
      const sums = evidence.rows.map((row) => Number(row[column("tables")]) + Number(row[column("indexes")]) + Number(row[column("topics on disk")] ?? 0));
      expect(sums, subject).toEqual(curveOf(subject, OBS.storedBytes).points.map((point) => point.y));
    }
  });

  it("finds each design's bytes in its own places: the journal's in events, snapshots and projections; the CRUD tables' in state and outbox; CDC's also on the brokers' disks", () => {
    expect(value("es", OBS.journalBytesPerOp)).toBeGreaterThan(0);
    expect(value("es", OBS.journalIndexBytesPerOp)).toEqual(expect.any(Number));
    expect(value("es", OBS.projectionBytesPerOp)).toEqual(expect.any(Number));
    expect(value("es", OBS.snapshotBytesPerOp)).toEqual(expect.any(Number));
    expect(value("es", OBS.stateBytesPerOp)).toBeNull();
    expect(value("es", OBS.kafkaBytesPerOp)).toBeNull();
    for (const subject of ["crud", ...cdcSubjects] as const) {
      expect(value(subject, OBS.stateBytesPerOp), subject).toEqual(expect.any(Number));
      expect(value(subject, OBS.outboxBytesPerOp), subject).toEqual(expect.any(Number));
      expect(value(subject, OBS.journalBytesPerOp), subject).toBeNull();
    }
    expect(value("crud", OBS.kafkaBytesPerOp)).toBeNull();
    for (const subject of cdcSubjects) {
      const topics = curveOf(subject, OBS.kafkaBytes).points.map((point) => point.y);
      expect(topics[0], subject).toBeGreaterThan(0);
      expect(value(subject, OBS.kafkaBytesPerOp), subject).toBeGreaterThan(0);
    }
  });

  it("keeps fewer bytes on disk in compacted topics than with full retention, for the same changes", () => {
    const last = (subject: SubjectId) => curveOf(subject, OBS.kafkaBytes).points.at(-1)?.y ?? 0;
    expect(last("cdc-compacted")).toBeLessThan(last("cdc-plain"));
  });

  it("measures the WAL a stopped connector's slot keeps, per command written meanwhile, and a complete history after resume", () => {
    for (const subject of cdcSubjects) {
      expect(value(subject, OBS.pausedTaskHoldsSlot), subject).toEqual(expect.any(Boolean));
      expect(value(subject, OBS.slotWalRetainedPerOp), subject).toBeGreaterThan(0);
      expect(value(subject, OBS.slotRetainedBytes), subject).toBeGreaterThan(0);
      expect(value(subject, OBS.slotWalStatus), subject).toMatch(/^(reserved|extended|unreserved|lost)$/);
      expect(value(subject, OBS.slotInvalidation), subject).toMatch(/^not measured: /);
      expect(value(subject, OBS.historyCompleteAfterResume), subject).toBe(true);
      expect(storageFootprint.judge(outcome(subject)).symbol, subject).toBe("partial");
    }
    for (const subject of ["es", "crud"] as const) {
      expect(value(subject, OBS.slotWalRetainedPerOp), subject).toBeNull();
      expect(storageFootprint.judge(outcome(subject)).symbol, subject).toBe("full");
    }
  });
});
