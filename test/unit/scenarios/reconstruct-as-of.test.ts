import { describe, expect, it } from "vitest";
import { endOffsets, judgeReconstruct, probesOf, reconstructAsOf, recordWorkload, recordsRemoved } from "../../../scenarios/catalog/reconstruct-as-of.ts";
import type { Observation, SubjectOutcome } from "../../../scenarios/model/observations.ts";
import type { Scenario } from "../../../scenarios/model/scenario.ts";
import type { ChangeEvent } from "../../../services/crud-cdc/change-event.ts";

function outcome(matched: number, total: number): SubjectOutcome {
  const observations: Record<string, Observation> = {
    probesTotal: { value: total, unit: "count" },
    probesMatched: { value: matched, unit: "count" },
    probesLost: { value: total - matched, unit: "count" },
    matchPercent: { value: total === 0 ? 0 : (100 * matched) / total, unit: "percent" },
  };
  return { subject: "cdc-plain", status: "measured", observations, evidence: [], problem: null, durationMs: 1 };
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

  it("is the scenario's judge, and the scenario fits the catalog", () => {
    const entry: Scenario<unknown> = reconstructAsOf;
    expect(entry.judge).toBe(judgeReconstruct);
    expect(entry.headline.observation).toBe("matchPercent");
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
