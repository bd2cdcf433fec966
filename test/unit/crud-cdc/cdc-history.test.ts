import { describe, expect, it } from "vitest";
import { buildCdcHistory, cdcAudit, cdcStateAsOf } from "../../../services/crud-cdc/cdc-history.ts";
import type { ChangeEvent, Row, RowOp } from "../../../services/crud-cdc/change-event.ts";

let lsn = 1000;
let offset = 0;
function row(table: string, op: RowOp, txId: number, committedAt: number, before: Row | null, after: Row | null, key: Row, atLsn?: number): ChangeEvent {
  lsn = atLsn ?? lsn + 8;
  return {
    kind: "row",
    op,
    key,
    before,
    after,
    source: { lsn, txId, committedAt, snapshot: false, database: "cart", schema: "crud", table },
    emittedAt: committedAt + 5,
    position: { topic: `crud.crud.${table}`, partition: 0, offset: String(offset++) },
  };
}
function intent(txId: number, committedAt: number, body: Record<string, unknown>): ChangeEvent {
  lsn += 8;
  return {
    kind: "message",
    op: "m",
    prefix: "cart-intent",
    content: JSON.stringify({ cartId: "101", correlationId: `c-${txId}`, decidedAt: new Date(committedAt - 1).toISOString(), reason: null, ...body }),
    source: { lsn, txId, committedAt, snapshot: false, database: "cart", schema: null, table: null },
    emittedAt: committedAt + 5,
    position: { topic: "crud.message", partition: 0, offset: String(offset++) },
  };
}
const item = (sku: string, price: number, quantity: number) => ({ cart_id: "101", sku, name: sku, unit_price_cents: price, quantity });
const open = { cart_id: "101", status: "open", total_cents: null };

/** The brief's seed cart, as Debezium reports its seven transactions (REPLICA IDENTITY DEFAULT deletes carry the key only). */
const seed: ChangeEvent[] = [
  row("carts", "c", 1, 100, null, open, { cart_id: "101" }),
  row("cart_items", "c", 1, 100, null, item("banana", 100, 1), { cart_id: "101", sku: "banana" }),
  intent(1, 100, { commandType: "AddItem", actor: "alice", events: ["ItemAdded"] }),
  row("cart_items", "c", 2, 200, null, item("apple", 150, 1), { cart_id: "101", sku: "apple" }),
  row("cart_items", "u", 3, 300, null, item("banana", 100, 2), { cart_id: "101", sku: "banana" }),
  row("cart_items", "d", 4, 400, { cart_id: "101", sku: "apple", name: null, unit_price_cents: null, quantity: null }, null, { cart_id: "101", sku: "apple" }),
  row("cart_discounts", "c", 5, 500, null, { cart_id: "101", discount_id: "d1", sku: "banana", min_quantity: 2, amount_cents: -10 }, { cart_id: "101", discount_id: "d1" }),
  intent(5, 500, { commandType: "ApplyDiscount", actor: "bob", reason: "loyalty", events: ["DiscountApplied"] }),
  row("cart_items", "c", 6, 600, null, item("mango", 200, 1), { cart_id: "101", sku: "mango" }),
  row("carts", "u", 7, 700, null, { cart_id: "101", status: "checked_out", total_cents: 390 }, { cart_id: "101" }),
];

describe("the CDC design's history, rebuilt from change events", () => {
  const history = buildCdcHistory(seed).get("101") ?? [];

  it("groups the changes into the cart's transactions, in commit order, with their intent", () => {
    expect(history.map((tx) => tx.txId)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(history[0]?.changes.map((change) => `${change.table}:${change.op}`)).toEqual(["carts:c", "cart_items:c"]);
    expect(history[0]?.intent?.actor).toBe("alice");
    expect(history[1]?.intent).toBeNull();
  });

  it("replays to the seed's final state: banana x2 @100, mango x1 @200, discount -10, total 390", () => {
    expect(cdcStateAsOf(history, null)).toEqual({
      cartId: "101",
      status: "checked_out",
      items: [
        { sku: "banana", name: "banana", unitPriceCents: 100, quantity: 2 },
        { sku: "mango", name: "mango", unitPriceCents: 200, quantity: 1 },
      ],
      discounts: [{ discountId: "d1", sku: "banana", minQuantity: 2, amountCents: -10 }],
      subtotalCents: 400,
      totalCents: 390,
    });
  });

  it("answers as of a commit time and as of a version", () => {
    expect(cdcStateAsOf(history, { at: 99 })).toBeNull();
    expect(cdcStateAsOf(history, { at: 250 })?.items.map((line) => line.sku)).toEqual(["apple", "banana"]);
    expect(cdcStateAsOf(history, { at: 450 })?.items).toEqual([{ sku: "banana", name: "banana", unitPriceCents: 100, quantity: 2 }]);
    expect(cdcStateAsOf(history, { version: 5 })?.totalCents).toBe(190);
    expect(cdcStateAsOf(history, { version: 5 })?.status).toBe("open");
  });

  it("audits who and why only where an intent message says so, and never guesses", () => {
    const audit = cdcAudit(history);
    expect(audit).toHaveLength(7);
    expect(audit[0]).toMatchObject({ operation: "ItemAdded", actor: "alice", reason: null });
    expect(audit[4]).toMatchObject({ operation: "DiscountApplied", actor: "bob", reason: "loyalty" });
    expect(audit[1]).toMatchObject({ operation: null, actor: null, reason: null, at: new Date(200).toISOString(), rowChanges: ["cart_items:c"] });
  });

  it("counts a redelivered change once", () => {
    const redelivered = [...seed, ...seed.slice(3, 6).map((event) => ({ ...event, position: { ...event.position, offset: String(offset++) } }))];
    const again = buildCdcHistory(redelivered).get("101") ?? [];
    expect(again.flatMap((tx) => tx.changes)).toHaveLength(history.flatMap((tx) => tx.changes).length);
    expect(cdcStateAsOf(again, null)).toEqual(cdcStateAsOf(history, null));
  });
});

describe("transactions that overlap on one cart", () => {
  it("replay in the order their shared row was written, not the order they started", () => {
    // An operator's transaction A starts first (LSN 2000) without the cart's lock; the app's
    // command B then writes banana and commits; A writes banana after B and commits last.
    const events: ChangeEvent[] = [
      row("carts", "c", 20, 10, null, open, { cart_id: "101" }, 1000),
      row("cart_items", "c", 20, 10, null, item("banana", 100, 1), { cart_id: "101", sku: "banana" }, 1008),
      row("cart_items", "c", 21, 40, null, item("apple", 150, 1), { cart_id: "101", sku: "apple" }, 2000),
      row("cart_items", "u", 22, 30, null, item("banana", 100, 2), { cart_id: "101", sku: "banana" }, 2100),
      row("cart_items", "u", 21, 40, null, item("banana", 100, 9), { cart_id: "101", sku: "banana" }, 2200),
    ];
    const transactions = buildCdcHistory(events).get("101") ?? [];
    expect(transactions.map((tx) => tx.txId)).toEqual([20, 22, 21]);
    expect(cdcStateAsOf(transactions, null)?.items.find((line) => line.sku === "banana")?.quantity).toBe(9);
  });
});
