import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { outcomeBuilder } from "../../support/judge-outcome.ts";
import { describe, expect, it } from "vitest";
import { supersededRecords } from "../../../scenarios/catalog/storage.footprint/compaction-state.ts";
import { SIZE_COUNT, closingCommands, operationsIn, planFootprint } from "../../../scenarios/catalog/storage.footprint/footprint-plan.ts";
import { judgeStorageFootprint } from "../../../scenarios/catalog/storage.footprint/judge.ts";
import { findKafkaLibs, totalTopicBytes } from "../../../scenarios/catalog/storage.footprint/kafka-log-dirs.ts";
import { bytesPerOperation, leastSquares } from "../../../scenarios/catalog/storage.footprint/least-squares.ts";
import { OBS } from "../../../scenarios/catalog/storage.footprint/observations.ts";
import type { SlotState } from "../../../scenarios/catalog/storage.footprint/postgres-accounting.ts";
import { storageFootprint } from "../../../scenarios/catalog/storage.footprint/scenario.ts";
import { invalidationBlocker } from "../../../scenarios/catalog/storage.footprint/slot-invalidation.ts";
import type { ChangeEvent } from "../../../services/crud-cdc/change-event.ts";
import { LabError } from "../../../services/platform/errors.ts";


const outcome = outcomeBuilder(OBS, { subject: "cdc-plain", failure: "Kafka Connect did not answer" });

const journalLike = { storedBytesPerOp: 612.4, walBytesPerOp: 1480 };
const cdcLike = { storedBytesPerOp: 1890.2, walBytesPerOp: 2210, slotWalRetainedPerOp: 2300, historyCompleteAfterResume: true };

describe("judging storage.footprint", () => {
  it("is full with the bytes per operation when nothing but the operations makes the footprint grow", () => {
    expect(judgeStorageFootprint(outcome(journalLike))).toEqual({ symbol: "full", figure: "612 B/op stored, 1480 B/op WAL" });
  });

  it("is partial when a stopped connector makes the database keep WAL for every operation written meanwhile", () => {
    expect(judgeStorageFootprint(outcome(cdcLike))).toEqual({ symbol: "partial", figure: "1890 B/op stored, 2210 B/op WAL, slot keeps 2300 B/op while stopped" });
  });

  it("changes the cell when one observation changes", () => {
    expect(judgeStorageFootprint(outcome({ ...cdcLike, slotWalRetainedPerOp: 0 })).symbol).toBe("full");
    expect(judgeStorageFootprint(outcome({ ...cdcLike, historyCompleteAfterResume: false })).symbol).toBe("none");
    expect(judgeStorageFootprint(outcome({ ...journalLike, storedBytesPerOp: 20_480 })).figure).toBe("20.0 KiB/op stored, 1480 B/op WAL");
    expect(judgeStorageFootprint(outcome({ ...journalLike, storedBytesPerOp: null }))).toEqual({ symbol: "failed", figure: "no bytes per operation measured" });
    expect(judgeStorageFootprint(outcome({ storedBytesPerOp: 612.4, clusterWalBytesPerOp: 3100 })).figure).toBe("612 B/op stored, 3100 B/op cluster WAL");
  });

  it("reports a failed subject as failed (⚠) and an unsupported one as n/a, whatever it observed", () => {
    expect(judgeStorageFootprint(outcome(cdcLike, "failed")).symbol).toBe("failed");
    expect(judgeStorageFootprint(outcome(journalLike, "unsupported")).symbol).toBe("n/a");
  });

  it("plots bytes stored per operation", () => {
    expect(storageFootprint.headline.observation).toBe(OBS.storedBytesPerOp);
    expect(storageFootprint.judge).toBe(judgeStorageFootprint);
    expect(storageFootprint.subjects).toEqual(["es", "crud", "cdc-plain", "cdc-compacted"]);
  });
});

describe("fitting bytes per operation", () => {
  it("finds the slope and intercept of points on a line", () => {
    expect(leastSquares([{ x: 100, y: 9_000 }, { x: 200, y: 17_000 }, { x: 300, y: 25_000 }])).toEqual({ slope: 80, intercept: 1_000 });
  });

  it("fits the least-squares line through points off a line", () => {
    // Residuals of the fit sum to zero: y = 0, 10, 11 over x = 0, 1, 2 gives slope 5.5, intercept 1.5.
    const line = leastSquares([{ x: 0, y: 0 }, { x: 1, y: 10 }, { x: 2, y: 11 }]);
    expect(line?.slope).toBeCloseTo(5.5, 10);
    expect(line?.intercept).toBeCloseTo(1.5, 10);
  });

  it("has no slope without two distinct operation counts", () => {
    expect(leastSquares([])).toBeNull();
    expect(leastSquares([{ x: 5, y: 1 }])).toBeNull();
    expect(leastSquares([{ x: 5, y: 1 }, { x: 5, y: 9 }])).toBeNull();
  });

  it("rounds bytes per operation to one decimal", () => {
    expect(bytesPerOperation([{ x: 3, y: 1 }, { x: 6, y: 2 }, { x: 9, y: 3 }])).toBe(0.3);
    expect(bytesPerOperation([{ x: 1, y: 1 }])).toBeNull();
  });
});

function row(topic: string, offset: number, key: Record<string, unknown>): ChangeEvent {
  return {
    kind: "row",
    op: "u",
    key,
    before: null,
    after: null,
    source: { lsn: offset, txId: offset, committedAt: offset, snapshot: false, database: "cart", schema: "s", table: "carts" },
    emittedAt: offset,
    position: { topic, partition: 0, offset: String(offset) },
  };
}

describe("the end state of compaction", () => {
  const compacted = new Set(["t.carts"]);

  it("counts records a finished cleaning would have removed below the size's end", () => {
    const events = [row("t.carts", 0, { cart_id: "a" }), row("t.carts", 1, { cart_id: "a" }), row("t.carts", 2, { cart_id: "b" }), row("t.carts", 3, { cart_id: "a" })];
    expect(supersededRecords(events, new Map([["t.carts/0", 4n]]), compacted)).toBe(2);
    expect(supersededRecords(events.slice(1), new Map([["t.carts/0", 4n]]), compacted)).toBe(1);
  });

  it("ignores records at or past the end (the active segment) and topics that are not compacted", () => {
    const events = [row("t.carts", 0, { cart_id: "a" }), row("t.carts", 5, { cart_id: "a" }), row("t.items", 0, { id: 1 }), row("t.items", 1, { id: 1 })];
    expect(supersededRecords(events, new Map([["t.carts/0", 5n], ["t.items/0", 2n]]), compacted)).toBe(0);
  });

  it("counts a delete and its tombstone as one key twice", () => {
    const tombstone: ChangeEvent = { kind: "tombstone", key: { cart_id: "a" }, position: { topic: "t.carts", partition: 0, offset: "1" } };
    expect(supersededRecords([row("t.carts", 0, { cart_id: "a" }), tombstone], new Map([["t.carts/0", 2n]]), compacted)).toBe(1);
  });
});

function slot(slotName: string, retainedBytes: number | null): SlotState {
  return { slotName, active: false, retainedBytes, unconfirmedBytes: retainedBytes, restartLsn: "0/0", walStatus: "reserved", safeWalSize: null };
}

describe("whether max_slot_wal_keep_size could lose this slot alone", () => {
  const segment = 16 * 1024 * 1024;

  it("is blocked by any other slot that holds WAL from further back", () => {
    expect(invalidationBlocker(slot("mine", 500_000), [slot("sentinel", 30_000_000), slot("other", 1_000)], segment)).toBe(
      "another slot on the cluster holds WAL from further back; max_slot_wal_keep_size is cluster-wide, so any limit that loses this slot loses that one too",
    );
  });

  it("is blocked while this slot is less than two WAL segments behind the next one", () => {
    expect(invalidationBlocker(slot("mine", 500_000), [slot("other", 1_000)], segment)).toMatch(/^this slot is less than two WAL segments \(2 × 16777216 bytes\) behind every other slot/);
  });

  it("says the same whatever the byte counts, so two runs of one seed read the same reason", () => {
    expect(invalidationBlocker(slot("mine", 7_000), [slot("sentinel", 9_000_000)], segment)).toBe(invalidationBlocker(slot("mine", 500_000), [slot("sentinel", 30_000_000)], segment));
  });

  it("is possible when every other slot restarts two segments later", () => {
    expect(invalidationBlocker(slot("mine", 3 * segment), [slot("other", 1_000)], segment)).toBeNull();
    expect(invalidationBlocker(slot("mine", 2 * segment), [], segment)).toBeNull();
  });
});

describe("planning the workload", () => {
  const plan = planFootprint({ seed: 7, commandsPerSize: 40, carts: 5 });

  it("cuts the same seeded workload into three sizes, each closed by two commands that write, and a chunk for the outage", () => {
    expect(plan.sizes).toHaveLength(SIZE_COUNT);
    for (const [index, size] of plan.sizes.entries()) {
      expect(size.chunk.commands).toHaveLength(40);
      expect(size.close.commands.map((entry) => entry.command)).toEqual(closingCommands(index + 1).map((entry) => entry.command));
      expect(operationsIn(size.close)).toBe(2);
      expect(size.close.views.get(`close-${index + 1}`)?.totalCents).toBe(70);
    }
    expect(plan.whileStopped.commands).toHaveLength(40);
    expect(planFootprint({ seed: 7, commandsPerSize: 40, carts: 5 })).toEqual(plan);
  });

  it("counts as operations the commands the rules accept, not the rejected ones", () => {
    const chunk = plan.sizes[0]?.chunk;
    expect(chunk).toBeDefined();
    const accepted = chunk?.commands.filter((entry) => entry.accepted).length ?? 0;
    expect(operationsIn(chunk ?? { commands: [], views: new Map() })).toBe(accepted);
    expect(accepted).toBeLessThan(40);
    expect(accepted).toBeGreaterThan(0);
  });
});

describe("finding Kafka's jars for the log-dir sizes", () => {
  it("says clearly where it looked when the jars were never resolved", () => {
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), "no-jars-"));
    try {
      expect(() => findKafkaLibs({ projectDir: path.resolve(import.meta.dirname, "../../.."), cacheDir })).toThrow(LabError);
      expect(() => findKafkaLibs({ projectDir: path.resolve(import.meta.dirname, "../../.."), cacheDir })).toThrow(/the Kafka \d+\.\d+\.\d+ jars were not found under/);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it("sums the current replicas' bytes, not a replica being moved", () => {
    const partition = { broker: 1, logDir: "/d", topic: "t", partition: 0, sizeBytes: 100, isFuture: false };
    expect(totalTopicBytes({ partitions: [partition, { ...partition, partition: 1, sizeBytes: 50 }, { ...partition, sizeBytes: 100, isFuture: true }], cleanupPolicies: {} })).toBe(150);
  });
});
