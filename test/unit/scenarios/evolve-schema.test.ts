import { outcomeBuilder } from "../../support/judge-outcome.ts";
import { describe, expect, it } from "vitest";
import { judgeEvolveSchema } from "../../../scenarios/catalog/evolve.schema/judge.ts";
import { OBS } from "../../../scenarios/catalog/evolve.schema/observations.ts";
import { evolveSchema } from "../../../scenarios/catalog/evolve.schema/scenario.ts";
import { exactPercentByPhase, isStateChange, readChangeEvent, readabilityOf, readablePercent, topicReaders } from "../../../scenarios/catalog/evolve.schema/shape-readers.ts";
import type { Probe } from "../../../scenarios/catalog/evolve.schema/shape-readers.ts";
import type { ObservationValue } from "../../../scenarios/model/observations.ts";
import type { ChangeEvent, Row, RowChangeEvent, RowOp } from "../../../services/crud-cdc/change-event.ts";
import { LabError } from "../../../services/platform/errors.ts";

type Name = keyof typeof OBS;

const outcome = outcomeBuilder(OBS, { failure: "boom" });

const wholeHistory = {
  historyEntries: 56,
  readableByCurrentPercent: 100,
  probesExactBeforePercent: 100,
  probesExactAcrossPercent: 100,
  probesExactAfterPercent: 100,
  oldShapeDecodeErrors: 31,
  writesFailed: 0,
  cartsMatchingRecordPercent: 100,
} satisfies Partial<Record<Name, ObservationValue>>;

describe("judging evolve.schema", () => {
  it("is full when the current code reads the whole history, every probe is exact and no write failed", () => {
    expect(judgeEvolveSchema(outcome(wholeHistory))).toEqual({ symbol: "full", figure: "100% of history readable, every state-at probe exact, old-shape reader: 31 decode errors" });
    expect(judgeEvolveSchema(outcome({ ...wholeHistory, probesExactAcrossPercent: 58.8 })).figure).toBe("100% of history readable, state-at probes 58.8% exact in the worst window, old-shape reader: 31 decode errors");
  });

  it.each([
    ["part of the history unreadable", { readableByCurrentPercent: 95.8 }],
    ["a probe across the change wrong", { probesExactAcrossPercent: 58.8 }],
    ["a write the migration broke", { writesFailed: 1 }],
    ["a cart off the record", { cartsMatchingRecordPercent: 83.3 }],
  ] as const)("is partial with %s", (_, change) => {
    expect(judgeEvolveSchema(outcome({ ...wholeHistory, ...change })).symbol).toBe("partial");
  });

  it("is none when the current code reads nothing of the history", () => {
    expect(judgeEvolveSchema(outcome({ ...wholeHistory, readableByCurrentPercent: 0 })).symbol).toBe("none");
  });

  it("has no cell for a design without history unless the migration broke the running application", () => {
    const crud = { writesFailed: 0, cartsMatchingRecordPercent: 100, naiveOldReleaseWrites: 30, naiveOldReleaseWritesFailed: 26 };
    expect(judgeEvolveSchema(outcome(crud))).toEqual({ symbol: "n/a", figure: "no history; 0 writes failed; naive rename: 26/30 old-release writes failed" });
    expect(judgeEvolveSchema(outcome({ ...crud, writesFailed: 2 })).symbol).toBe("partial");
  });

  it("reports a failed or unsupported subject as such, whatever it observed, and a missing figure as a failure", () => {
    expect(judgeEvolveSchema(outcome(wholeHistory, "failed")).symbol).toBe("failed");
    expect(judgeEvolveSchema(outcome({}, "unsupported")).symbol).toBe("n/a");
    expect(judgeEvolveSchema(outcome({ ...wholeHistory, writesFailed: null })).symbol).toBe("failed");
    expect(judgeEvolveSchema(outcome({ ...wholeHistory, probesExactBeforePercent: null, probesExactAcrossPercent: null, probesExactAfterPercent: null })).symbol).toBe("failed");
  });

  it("plots the share of history the current code reads", () => {
    expect(evolveSchema.headline.observation).toBe(OBS.readableByCurrentPercent);
    expect(evolveSchema.judge).toBe(judgeEvolveSchema);
    expect(evolveSchema.subjects).toEqual(["es", "crud", "cdc-plain"]);
  });
});

let offset = 0;
function change(table: string, op: RowOp, after: Row | null, before: Row | null = null): RowChangeEvent {
  offset += 1;
  return {
    kind: "row",
    op,
    key: { cart_id: "101" },
    before,
    after,
    source: { lsn: 1000 + offset, txId: 7, committedAt: 100 + offset, snapshot: false, database: "cart", schema: "crud", table },
    emittedAt: 200 + offset,
    position: { topic: `crud.crud.${table}`, partition: 0, offset: String(offset) },
  };
}
const line = (price: Row): Row => ({ cart_id: "101", sku: "kiwi", name: "Kiwi", quantity: 2, ...price });

describe("reading change events with a reader built for one layout", () => {
  const cents = change("cart_items", "c", line({ unit_price_cents: 75 }));
  const both = change("cart_items", "u", line({ unit_price_cents: 75, unit_price: "0.75" }));
  const decimal = change("cart_items", "u", line({ unit_price: "0.75" }));
  const deleted = change("cart_items", "d", null, line({ unit_price: "0.75" }));
  const cart = change("carts", "c", { cart_id: "101", status: "open", total_cents: null });

  it("reads what the state rebuild reads: the after image, or the key of a delete", () => {
    for (const event of [cents, both, decimal, deleted, cart]) expect(() => readChangeEvent(event, topicReaders.current)).not.toThrow();
    expect(() => readChangeEvent(decimal, topicReaders.oldShape)).toThrow(expect.objectContaining({ code: "DecodeFailed" }));
    expect(() => readChangeEvent(cents, topicReaders.newShapeOnly)).toThrow(expect.objectContaining({ code: "DecodeFailed" }));
    expect(() => readChangeEvent(deleted, topicReaders.oldShape)).not.toThrow();
  });

  it("counts what each reader reads, keeping the first error as evidence", () => {
    const events = [cents, both, decimal, deleted, cart];
    const old = readabilityOf(events, (event) => readChangeEvent(event, topicReaders.oldShape));
    expect(old).toMatchObject({ entries: 5, readable: 4, firstError: expect.stringMatching(/unit_price_cents/) });
    expect(readablePercent(old)).toBe(80);
    expect(readabilityOf(events, (event) => readChangeEvent(event, topicReaders.newShapeOnly))).toMatchObject({ entries: 5, readable: 4 });
    expect(readabilityOf(events, (event) => readChangeEvent(event, topicReaders.current))).toEqual({ entries: 5, readable: 5, firstError: null });
    expect(readablePercent(readabilityOf([], () => undefined))).toBeNull();
  });

  it("throws what is not a decode failure: that is not this question's answer", () => {
    expect(() => readabilityOf([1], () => {
      throw new LabError("ComponentFailed", "database down");
    })).toThrow(/database down/);
  });

  it("takes the state tables' row changes as the history, not logical messages or the outbox", () => {
    const message: ChangeEvent = { kind: "message", op: "m", prefix: "cart-intent", content: "{}", source: cart.source, emittedAt: 1, position: cart.position };
    expect([cents, cart, change("outbox", "c", { id: "x" }), message].filter(isStateChange)).toEqual([cents, cart]);
  });
});

describe("probes by phase", () => {
  const probe = (phase: Probe["phase"]): Probe => ({ phase, at: 1, cartId: "101", expected: null });

  it("gives the share answered exactly in each phase, null for a phase without probes", () => {
    const answers = [
      { probe: probe("before"), exact: true },
      { probe: probe("before"), exact: true },
      { probe: probe("across"), exact: true },
      { probe: probe("across"), exact: false },
      { probe: probe("across"), exact: false },
    ];
    expect(exactPercentByPhase(answers)).toEqual({ before: 100, across: 33.3, after: null });
  });
});
