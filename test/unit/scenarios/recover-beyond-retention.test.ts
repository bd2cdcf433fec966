import { outcomeBuilder } from "../../support/judge-outcome.ts";
import { describe, expect, it } from "vitest";
import { completeHistorySince, oldestRetainedCommit, wholeCartHistory } from "../../../scenarios/catalog/recover.beyond-retention/history-horizon.ts";
import { judgeBeyondRetention } from "../../../scenarios/catalog/recover.beyond-retention/judge.ts";
import { OBS } from "../../../scenarios/catalog/recover.beyond-retention/observations.ts";
import { recoverBeyondRetention } from "../../../scenarios/catalog/recover.beyond-retention/scenario.ts";
import type { CdcTransaction } from "../../../services/crud-cdc/cdc-history.ts";
import type { ChangeEvent, RowOp } from "../../../services/crud-cdc/change-event.ts";

const outcome = outcomeBuilder(OBS, { subject: "cdc-short-retention" });

describe("judging recover.beyond-retention", () => {
  it("is full when every affected cart was restored, partial for some, none for none", () => {
    expect(judgeBeyondRetention(outcome({ cartsAffected: 3, cartsRestoredExactly: 3 }))).toEqual({ symbol: "full", figure: "3/3 restored" });
    expect(judgeBeyondRetention(outcome({ cartsAffected: 3, cartsRestoredExactly: 1 })).symbol).toBe("partial");
    expect(judgeBeyondRetention(outcome({ cartsAffected: 3, cartsRestoredExactly: 0 })).symbol).toBe("none");
  });

  it("does not call a run without affected carts a success", () => {
    expect(judgeBeyondRetention(outcome({ cartsAffected: 0, cartsRestoredExactly: 0 })).symbol).toBe("failed");
    expect(judgeBeyondRetention(outcome({ cartsAffected: 3, cartsRestoredExactly: 3 }, "failed")).symbol).toBe("failed");
    expect(judgeBeyondRetention(outcome({}, "unsupported")).symbol).toBe("n/a");
  });

  it("is the scenario's judge, and plots the share restored", () => {
    expect(recoverBeyondRetention.judge).toBe(judgeBeyondRetention);
    expect(recoverBeyondRetention.headline.observation).toBe(OBS.restoredPercent);
  });
});

const CARTS = "cdc_x.s.carts";
const ITEMS = "cdc_x.s.cart_items";
const DISCOUNTS = "cdc_x.s.cart_discounts";

function record(topic: string, offset: number, committedAt: number, op: RowOp = "c"): ChangeEvent {
  return {
    kind: "row",
    op,
    key: null,
    before: null,
    after: { cart_id: "c-1" },
    source: { lsn: offset, txId: offset, committedAt, snapshot: false, database: "cart", schema: "s", table: topic.split(".").at(-1) ?? null },
    emittedAt: committedAt,
    position: { topic, partition: 0, offset: String(offset) },
  };
}

describe("how far back the topics still reach", () => {
  it("reaches back to the start while every state topic still holds offset 0", () => {
    const events = [record(CARTS, 0, 100), record(CARTS, 1, 200), record(ITEMS, 0, 100), record(DISCOUNTS, 0, 150)];
    expect(completeHistorySince(events, [CARTS, ITEMS, DISCOUNTS])).toBe(Number.NEGATIVE_INFINITY);
  });

  it("is complete only after the latest of the oldest records of the topics that lost records", () => {
    const events = [record(CARTS, 7, 5_000), record(CARTS, 8, 6_000), record(ITEMS, 0, 100), record(DISCOUNTS, 3, 4_000)];
    expect(completeHistorySince(events, [CARTS, ITEMS, DISCOUNTS])).toBe(5_000);
  });

  it("cannot vouch for anything when a state topic holds nothing", () => {
    expect(completeHistorySince([record(CARTS, 0, 100), record(ITEMS, 0, 100)], [CARTS, ITEMS, DISCOUNTS])).toBe(Number.POSITIVE_INFINITY);
  });

  it("knows the oldest commit still held", () => {
    expect(oldestRetainedCommit([record(CARTS, 7, 5_000), record(ITEMS, 3, 4_200)])).toBe(4_200);
    expect(oldestRetainedCommit([])).toBeNull();
  });
});

describe("whether a cart's whole history is still there", () => {
  const created: CdcTransaction = {
    txId: 1,
    committedAt: 6_000,
    lsn: 1,
    intent: null,
    changes: [
      { table: "carts", op: "c", before: null, after: { cart_id: "c-1" }, lsn: 1 },
      { table: "cart_items", op: "c", before: null, after: { cart_id: "c-1" }, lsn: 2 },
    ],
  };
  const later: CdcTransaction = { txId: 2, committedAt: 7_000, lsn: 3, intent: null, changes: [{ table: "carts", op: "u", before: null, after: { cart_id: "c-1" }, lsn: 3 }] };

  it("is when its creation is held and came after the point from which every topic is complete", () => {
    expect(wholeCartHistory([created, later], 5_000)).toBe(true);
    expect(wholeCartHistory([created, later], Number.NEGATIVE_INFINITY)).toBe(true);
  });

  it("is not when it was created before that point, or its creation is gone", () => {
    expect(wholeCartHistory([created, later], 6_000)).toBe(false);
    expect(wholeCartHistory([later], 5_000)).toBe(false);
    expect(wholeCartHistory([], Number.NEGATIVE_INFINITY)).toBe(false);
  });
});
