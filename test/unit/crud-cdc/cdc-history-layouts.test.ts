import { describe, expect, it } from "vitest";
import { buildCdcHistory, cdcStateAsOf } from "../../../services/crud-cdc/cdc-history.ts";
import type { ChangeEvent, Row, RowOp } from "../../../services/crud-cdc/change-event.ts";
import { decodeCartLineAs } from "../../../services/crud-cdc/crud/crud-cart-rows.ts";

let lsn = 5000;
function row(table: string, op: RowOp, txId: number, committedAt: number, after: Row | null, before: Row | null = null): ChangeEvent {
  lsn += 8;
  return {
    kind: "row",
    op,
    key: { cart_id: "101" },
    before,
    after,
    source: { lsn, txId, committedAt, snapshot: false, database: "cart", schema: "crud", table },
    emittedAt: committedAt + 5,
    position: { topic: `crud.crud.${table}`, partition: 0, offset: String(lsn) },
  };
}
const open = { cart_id: "101", status: "open", total_cents: null };
const banana = (price: Row, quantity: number) => ({ cart_id: "101", sku: "banana", name: "Banana", quantity, ...price });

/** One cart through the price migration: cents rows, then both columns (expand + backfill), then the decimal only (contract). */
const topics: ChangeEvent[] = [
  row("carts", "c", 1, 100, open),
  row("cart_items", "c", 1, 100, banana({ unit_price_cents: 100 }, 1)),
  // Dual-write release.
  row("cart_items", "u", 2, 200, banana({ unit_price_cents: 100, unit_price: "1.00" }, 2)),
  row("carts", "u", 2, 200, open),
  // After the contract: unit_price_cents is gone from the row.
  row("cart_items", "u", 3, 300, banana({ unit_price: "0.90" }, 2)),
  row("carts", "u", 3, 300, open),
];

describe("the CDC history across a column rename and retype", () => {
  const transactions = buildCdcHistory(topics).get("101") ?? [];

  it("replays every layout with the current code's row-image reader", () => {
    const at = (time: number) => cdcStateAsOf(transactions, { at: time })?.items;
    expect(at(150)).toEqual([{ sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 1 }]);
    expect(at(250)).toEqual([{ sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 2 }]);
    expect(at(350)).toEqual([{ sku: "banana", name: "Banana", unitPriceCents: 90, quantity: 2 }]);
    expect(cdcStateAsOf(transactions, null)?.subtotalCents).toBe(180);
  });

  it("leaves a consumer built for one layout unable to answer on the other side of the change", () => {
    const old = (raw: unknown) => decodeCartLineAs("cents", raw);
    const fresh = (raw: unknown) => decodeCartLineAs("decimal", raw);
    expect(cdcStateAsOf(transactions, { at: 250 }, old)?.subtotalCents).toBe(200);
    expect(() => cdcStateAsOf(transactions, { at: 350 }, old)).toThrow(expect.objectContaining({ code: "DecodeFailed" }));
    expect(() => cdcStateAsOf(transactions, { at: 150 }, fresh)).toThrow(expect.objectContaining({ code: "DecodeFailed" }));
    expect(cdcStateAsOf(transactions, { at: 350 }, fresh)?.subtotalCents).toBe(180);
  });
});
