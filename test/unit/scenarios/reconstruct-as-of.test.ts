import { describe, expect, it } from "vitest";
import { judgeReconstruct } from "../../../scenarios/catalog/reconstruct.as-of/judge.ts";
import { OBS } from "../../../scenarios/catalog/reconstruct.as-of/observations.ts";
import { reconstructAsOf } from "../../../scenarios/catalog/reconstruct.as-of/scenario.ts";
import { probesOf, recordWorkload } from "../../../scenarios/catalog/reconstruct.as-of/workload-record.ts";
import { figure } from "../../../scenarios/kit/figures.ts";
import { compactionOutstanding, deletesHaveTombstones, endOffsets, recordsBelow, recordsCommittedBefore, recordsRemoved } from "../../../scenarios/kit/topic-cleanup.ts";
import type { Observation, SubjectOutcome } from "../../../scenarios/model/observations.ts";
import type { Scenario } from "../../../scenarios/model/scenario.ts";
import type { ChangeEvent } from "../../../services/crud-cdc/change-event.ts";

function outcome(matched: number, total: number, status: SubjectOutcome["status"] = "measured"): SubjectOutcome {
  const observations: Record<string, Observation> = {
    [OBS.probesTotal.name]: { value: total, unit: OBS.probesTotal.unit },
    [OBS.probesMatched.name]: { value: matched, unit: OBS.probesMatched.unit },
    [OBS.probesLost.name]: { value: total - matched, unit: OBS.probesLost.unit },
    [OBS.matchPercent.name]: { value: total === 0 ? 0 : (100 * matched) / total, unit: OBS.matchPercent.unit },
  };
  return { subject: "cdc-plain", status, observations, evidence: [], problem: null, durationMs: 1 };
}

describe("the reconstruct.as-of judge", () => {
  it("gives full when every probe matched", () => {
    expect(judgeReconstruct(outcome(48, 48))).toEqual({ symbol: "full", figure: "100% (48/48)" });
  });

  it("gives partial as soon as one probe is lost, and never shows 100% for it", () => {
    expect(judgeReconstruct(outcome(1999, 2000))).toEqual({ symbol: "partial", figure: "99.9% (1999/2000)" });
    expect(judgeReconstruct(outcome(40, 66))).toEqual({ symbol: "partial", figure: "60.6% (40/66)" });
  });

  it("gives none when no probe matched", () => {
    expect(judgeReconstruct(outcome(0, 66))).toEqual({ symbol: "none", figure: "0% (0/66)" });
  });

  it("refuses to judge an outcome without its observations", () => {
    expect(() => judgeReconstruct({ ...outcome(1, 1), observations: {} })).toThrow(/matchPercent/);
  });

  it("reads its figures through the declared names", () => {
    expect(figure(outcome(40, 66), OBS.probesLost)).toBe(26);
    expect(OBS.matchPercent).toEqual({ name: "matchPercent", unit: "percent", shape: "number", varies: null });
  });

  it("reports a failed or unsupported subject as such, whatever it observed", () => {
    expect(judgeReconstruct(outcome(48, 48, "failed"))).toEqual({ symbol: "failed", figure: "failed" });
    expect(judgeReconstruct({ ...outcome(0, 0, "unsupported"), observations: {} }).symbol).toBe("n/a");
  });

  it("is the scenario's judge, and the scenario fits the catalog", () => {
    const entry: Scenario<unknown> = reconstructAsOf;
    expect(entry.judge).toBe(judgeReconstruct);
    expect(entry.headline.observation).toBe(OBS.matchPercent);
    expect(entry.subjects).toEqual(["es", "crud", "cdc-plain", "cdc-default", "cdc-compacted", "cdc-late"]);
  });
});

describe("the runner's own record of the workload", () => {
  const add = (cartId: string, sku: string, quantity: number) => ({ command: { type: "AddItem", cartId, sku, name: sku, unitPriceCents: 100, quantity }, metadata: { actor: "alice" } });
  const workload = [
    add("c1", "banana", 1),
    add("c2", "apple", 1),
    { command: { type: "RemoveItem", cartId: "c1", sku: "kiwi" }, metadata: { actor: "alice" } },
    add("c1", "banana", 2),
    { command: { type: "Teleport", cartId: "c3" }, metadata: { actor: "alice" } },
    add("c3", "mango", 1),
  ];
  const record = recordWorkload(workload, 2);

  it("keeps a version per write; rejected and invalid commands write nothing", () => {
    expect(record.versions.get("c1")?.map((view) => view.items[0]?.quantity)).toEqual([1, 3]);
    expect(record.versions.get("c2")).toHaveLength(1);
    expect(record.finalViews.get("c1")?.totalCents).toBe(300);
  });

  it("probes every other cart, at each probe point only once it exists", () => {
    expect(record.probedCartIds).toEqual(["c1", "c3"]);
    expect(record.probePoints.map((point) => [...point.views.keys()])).toEqual([["c1"], ["c1"], ["c1", "c3"]]);
  });

  it("asks each probed cart at every probe time it existed and at its first, middle and last version", () => {
    const probes = probesOf(record, [1000, 2000, 3000]);
    expect(probes.map((probe) => [probe.cartId, probe.asOf])).toEqual([
      ["c1", { at: 1000 }],
      ["c1", { at: 2000 }],
      ["c1", { at: 3000 }],
      ["c3", { at: 3000 }],
      ["c1", { version: 1 }],
      ["c1", { version: 2 }],
      ["c3", { version: 1 }],
    ]);
  });

  it("cannot probe a time the run never reached", () => {
    expect(() => probesOf(record, [1000])).toThrow(/never reached/);
  });
});

describe("counting records compaction removed", () => {
  const at = (topic: string, offset: number): ChangeEvent => ({ kind: "tombstone", key: null, position: { topic, partition: 0, offset: String(offset) } });

  it("keeps only the records below the ends", () => {
    expect(recordsBelow([at("a", 0), at("a", 3), at("b", 0)], new Map([["a/0", 3n]])).map((event) => event.position.offset)).toEqual(["0"]);
  });

  it("counts nothing for a topic that keeps every record", () => {
    expect(recordsRemoved([at("a", 0), at("a", 1), at("b", 0)])).toBe(0);
  });

  it("counts each missing offset as a removed record", () => {
    expect(recordsRemoved([at("a", 2), at("a", 5), at("b", 0)])).toBe(4);
  });

  it("counts only below the given ends, so later traffic does not count", () => {
    const ends = endOffsets([at("a", 0), at("a", 1), at("a", 2)]);
    expect(ends).toEqual(new Map([["a/0", 3n]]));
    expect(recordsRemoved([at("a", 0), at("a", 1), at("a", 2), at("a", 9)], ends)).toBe(0);
    expect(recordsRemoved([at("a", 2), at("a", 9)], ends)).toBe(2);
  });
});

describe("the end state of compaction", () => {
  const row = (offset: number, key: string, op: "c" | "u" | "d" | "r", committedAt = 1_000): ChangeEvent => ({
    kind: "row",
    op,
    key: { id: key },
    before: null,
    after: op === "d" ? null : { id: key },
    source: { lsn: offset, txId: offset, committedAt, snapshot: op === "r", database: "cart", schema: "s", table: "carts" },
    emittedAt: committedAt,
    position: { topic: "t", partition: 0, offset: String(offset) },
  });
  const tombstone = (offset: number, key: string): ChangeEvent => ({ kind: "tombstone", key: { id: key }, position: { topic: "t", partition: 0, offset: String(offset) } });
  // k1 created and updated; k2 created, deleted (delete + tombstone); k3 created.
  const written = [row(0, "k1", "c"), row(1, "k2", "c"), row(2, "k1", "u"), row(3, "k2", "d"), tombstone(4, "k2"), row(5, "k3", "c")];
  const ends = endOffsets(written);

  it("has everything still to remove before the cleaner ran: every older record of a key, and a deleted key entirely", () => {
    expect(compactionOutstanding(written, ends)).toBe(4);
  });

  it("still waits while a tombstone is kept (delete.retention.ms not yet passed)", () => {
    expect(compactionOutstanding([row(2, "k1", "u"), tombstone(4, "k2"), row(5, "k3", "c")], ends)).toBe(1);
  });

  it("is reached when each key keeps only its latest record and deleted keys are gone, whatever came after the ends", () => {
    const compacted = [row(2, "k1", "u"), row(5, "k3", "c"), row(6, "k1", "u"), row(7, "k1", "u")];
    expect(compactionOutstanding(compacted, ends)).toBe(0);
    expect(recordsRemoved(compacted, ends)).toBe(4);
  });

  it("counts a logical message (no key) as never compacted", () => {
    const message: ChangeEvent = {
      kind: "message",
      op: "m",
      prefix: "cart-intent",
      content: "{}",
      source: { lsn: 9, txId: 9, committedAt: 1_000, snapshot: false, database: "cart", schema: null, table: null },
      emittedAt: 1_000,
      position: { topic: "m", partition: 0, offset: "0" },
    };
    expect(compactionOutstanding([message], new Map([["m/0", 1n]]))).toBe(0);
  });

  it("takes a read as settled only once every delete has its tombstone after it", () => {
    expect(deletesHaveTombstones(written)).toBe(true);
    expect(deletesHaveTombstones(written.slice(0, 4))).toBe(false);
    expect(deletesHaveTombstones([row(1, "k2", "d"), tombstone(0, "k2")])).toBe(false);
  });
});

describe("the end state of retention", () => {
  const row = (offset: number, committedAt: number): ChangeEvent => ({
    kind: "row",
    op: "c",
    key: { id: String(offset) },
    before: null,
    after: { id: String(offset) },
    source: { lsn: offset, txId: offset, committedAt, snapshot: false, database: "cart", schema: "s", table: "carts" },
    emittedAt: committedAt,
    position: { topic: "t", partition: 0, offset: String(offset) },
  });

  it("counts the records still kept that were committed before the mark", () => {
    expect(recordsCommittedBefore([row(0, 100), row(1, 199), row(2, 200), row(3, 300)], 200)).toBe(2);
    expect(recordsCommittedBefore([row(2, 200), row(3, 300)], 200)).toBe(0);
  });
});
