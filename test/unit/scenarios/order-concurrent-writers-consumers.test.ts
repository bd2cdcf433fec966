import { describe, expect, it } from "vitest";
import { toCartView } from "../../../services/cart/index.ts";
import type { CartView } from "../../../services/cart/index.ts";
import { decodeChangeRecord, decodeTransactionRecord } from "../../../services/crud-cdc/change-envelope.ts";
import { LabError } from "../../../services/platform/errors.ts";
import type { ChangeEvent, TransactionBoundary } from "../../../services/crud-cdc/change-event.ts";
import { countTornViews, perRecordSteps, tornAmong } from "../../../scenarios/catalog/order.concurrent-writers/torn-views.ts";
import { groupByTransaction } from "../../../scenarios/catalog/order.concurrent-writers/transaction-grouper.ts";

/**
 * Records shaped like the ones Debezium 3.6.1 wrote on the lab's stack for one cart (AddItem
 * that opened it, ApplyDiscount, AddItem, CheckOut) with `provide.transaction.metadata=true`
 * and intent messages: every event's `transaction.id` is `<txId>:<its own lsn>`, BEGIN and END
 * ids differ, and END counts the logical message under an internal collection name.
 */
const SCHEMA = "r1_s1_4_crud";
const TABLES = [`${SCHEMA}.carts`, `${SCHEMA}.cart_items`, `${SCHEMA}.cart_discounts`];
const MESSAGE_COLLECTION = "io.debezium.connector.postgresql.LogicalDecodingMessageMonitor$LogicalDecodingMessageId@1e254cb2";
let offset = 0;

function source(table: string, txId: number, lsn: number) {
  const ts = 1_796_021_371_060 + txId - 1000;
  return { version: "3.6.1.Final", connector: "postgresql", name: "cdc_r1_s1_4", ts_ms: ts, snapshot: "false", db: "cart", sequence: `[null,"${lsn}"]`, ts_us: ts * 1000, ts_ns: ts * 1_000_000, schema: SCHEMA, table, txId, lsn, xmin: null, origin: null, origin_lsn: null };
}

function change(table: string, op: "c" | "u" | "d", txId: number, lsn: number, rows: { before: unknown; after: unknown; key: Record<string, unknown> }, order: [number, number] | null): ChangeEvent {
  const value = { before: rows.before, after: rows.after, source: source(table, txId, lsn), ...(order === null ? {} : { transaction: { id: `${txId}:${lsn}`, total_order: order[0], data_collection_order: order[1] } }), op, ts_ms: 1_796_021_371_090 };
  return decodeChangeRecord({ key: Buffer.from(JSON.stringify(rows.key)), value: Buffer.from(JSON.stringify(value)) }, { topic: `cdc_r1_s1_4.${SCHEMA}.${table}`, partition: 0, offset: String(offset++) });
}

function end(txId: number, lsn: number, counts: Record<string, number>): TransactionBoundary {
  const dataCollections = [{ data_collection: MESSAGE_COLLECTION, event_count: 1 }, ...Object.entries(counts).map(([table, count]) => ({ data_collection: `${SCHEMA}.${table}`, event_count: count }))];
  const value = { status: "END", id: `${txId}:${lsn}`, event_count: dataCollections.reduce((sum, entry) => sum + entry.event_count, 0), data_collections: dataCollections, ts_ms: 1_796_021_371_060 };
  return decodeTransactionRecord({ key: Buffer.from(JSON.stringify({ id: value.id })), value: Buffer.from(JSON.stringify(value)) }, { topic: "cdc_r1_s1_4.transaction", partition: 0, offset: String(offset++) });
}

const cartRow = (status: string, updatedAt: string, total: number | null = null) => ({ cart_id: "c1", status, total_cents: total, created_at: "2026-11-30T06:49:31.052000Z", updated_at: updatedAt, customer_id: null, customer_email: null, customer_name: null, shipping_address: null });
const line = (quantity: number) => ({ cart_id: "c1", sku: "a", name: "A", unit_price_cents: 100, quantity });
const discount = { cart_id: "c1", discount_id: "d1", sku: "a", min_quantity: 2, amount_cents: -10 };

/** The cart's four transactions, per topic, as Debezium wrote them; `withMetadata` false is what a plain connector writes. */
function seedCart(withMetadata: boolean) {
  const order = (total: number, perTable: number) => (withMetadata ? ([total, perTable] as [number, number]) : null);
  return {
    carts: [
      change("carts", "c", 1000, 30_987_760, { before: null, after: cartRow("open", "t0"), key: { cart_id: "c1" } }, order(1, 1)),
      change("carts", "u", 1001, 30_989_256, { before: cartRow("open", "t0"), after: cartRow("open", "t1"), key: { cart_id: "c1" } }, order(3, 1)),
      change("carts", "u", 1002, 30_989_856, { before: cartRow("open", "t1"), after: cartRow("open", "t2"), key: { cart_id: "c1" } }, order(3, 1)),
      change("carts", "u", 1003, 30_990_376, { before: cartRow("open", "t2"), after: cartRow("checked_out", "t3", 190), key: { cart_id: "c1" } }, order(2, 1)),
    ],
    cartItems: [
      change("cart_items", "c", 1000, 30_988_304, { before: null, after: line(1), key: { cart_id: "c1", sku: "a" } }, order(3, 1)),
      change("cart_items", "u", 1002, 30_989_744, { before: line(1), after: line(2), key: { cart_id: "c1", sku: "a" } }, order(2, 1)),
    ],
    cartDiscounts: [change("cart_discounts", "c", 1001, 30_989_016, { before: null, after: discount, key: { cart_id: "c1", discount_id: "d1" } }, order(2, 1))],
    ends: [
      end(1000, 30_988_696, { cart_items: 1, carts: 1 }),
      end(1001, 30_989_440, { cart_discounts: 1, carts: 1 }),
      end(1002, 30_990_040, { cart_items: 1, carts: 1 }),
      end(1003, 30_991_224, { carts: 1 }),
    ],
  };
}

const open = (quantity: number, discounts: boolean): CartView | null =>
  toCartView({
    status: "open",
    cartId: "c1",
    items: [{ sku: "a", name: "A", unitPriceCents: 100, quantity }],
    discounts: discounts ? [{ discountId: "d1", sku: "a", minQuantity: 2, amountCents: -10 }] : [],
  });
const committed = new Map<string, (CartView | null)[]>([
  [
    "c1",
    [
      null,
      open(1, false),
      open(1, true),
      open(2, true),
      toCartView({ status: "checked_out", cartId: "c1", items: [{ sku: "a", name: "A", unitPriceCents: 100, quantity: 2 }], discounts: [{ discountId: "d1", sku: "a", minQuantity: 2, amountCents: -10 }], totalCents: 190 }),
    ],
  ],
]);

describe("decoding Debezium's transaction metadata", () => {
  it("reads the transaction block and takes the PostgreSQL transaction from an id that carries each event's own LSN", () => {
    const { carts, cartItems } = seedCart(true);
    expect(carts[0]).toMatchObject({ kind: "row", transaction: { id: "1000:30987760", txId: 1000, totalOrder: 1, dataCollectionOrder: 1 } });
    expect(cartItems[0]).toMatchObject({ kind: "row", transaction: { id: "1000:30988304", txId: 1000, totalOrder: 3 } });
  });

  it("decodes an END with its counts per data collection, the logical messages' collection included", () => {
    expect(seedCart(true).ends[0]).toMatchObject({ kind: "transaction", status: "END", id: "1000:30988696", txId: 1000, eventCount: 3, dataCollections: [{ dataCollection: MESSAGE_COLLECTION, eventCount: 1 }, { dataCollection: `${SCHEMA}.cart_items`, eventCount: 1 }, { dataCollection: `${SCHEMA}.carts`, eventCount: 1 }] });
  });

  it("refuses a transaction record or block it cannot read, naming topic, partition and offset", () => {
    const position = { topic: "cdc_x.transaction", partition: 0, offset: "7" };
    const bad = [
      () => decodeTransactionRecord({ key: null, value: null }, position),
      () => decodeTransactionRecord({ key: null, value: Buffer.from(JSON.stringify({ status: "COMMIT", id: "1:2" })) }, position),
      () => decodeTransactionRecord({ key: null, value: Buffer.from(JSON.stringify({ status: "END", id: "tx-1", event_count: 1, data_collections: [] })) }, position),
      () =>
        decodeChangeRecord(
          { key: null, value: Buffer.from(JSON.stringify({ op: "c", before: null, after: { cart_id: "1" }, source: source("carts", 1, 2), ts_ms: 1, transaction: { id: "1:2", total_order: "first", data_collection_order: 1 } })) },
          position,
        ),
    ];
    for (const decode of bad) {
      expect(decode).toThrow(LabError);
      expect(decode).toThrow(/cdc_x\.transaction\[0\]@7/);
    }
  });
});

describe("the torn-view counter", () => {
  it("finds the carts a per-table consumer shows when it takes one topic after the other", () => {
    const { carts, cartItems, cartDiscounts } = seedCart(false);
    const counted = countTornViews(perRecordSteps([...carts, ...cartItems, ...cartDiscounts]), committed);
    // An open cart with no line, then checked out with no line, with one, with two but no discount.
    expect(counted.tornViews).toBe(4);
    expect(counted.torn.map(({ view }) => `${view?.status}:${view?.items.map((item) => item.quantity).join(",")}:${view?.discounts.length}`)).toEqual([
      "open::0",
      "checked_out::0",
      "checked_out:1:0",
      "checked_out:2:0",
    ]);
    expect(counted.viewsShown).toBe(5);
  });

  it("finds none when the records are applied in commit order, one whole transaction at a time", () => {
    const { carts, cartItems, cartDiscounts } = seedCart(false);
    const byTransaction = [1000, 1001, 1002, 1003].map((txId) => [...carts, ...cartItems, ...cartDiscounts].filter((event) => event.kind === "row" && event.source.txId === txId)).map((events) => events.filter((event) => event.kind === "row"));
    expect(countTornViews(byTransaction, committed)).toMatchObject({ tornViews: 0, viewsShown: 4 });
  });

  it("counts a repeated wrong view once, and leaves carts without a record alone", () => {
    const wrong = open(5, false);
    expect(tornAmong([{ cartId: "c1", view: wrong }, { cartId: "c1", view: wrong }, { cartId: "other", view: wrong }], committed)).toMatchObject({ tornViews: 1, viewsShown: 1 });
  });
});

describe("the transaction grouper", () => {
  it("releases whole transactions in END order, however the topics interleave, so the grouped consumer shows no torn cart", () => {
    const { carts, cartItems, cartDiscounts, ends } = seedCart(true);
    const arrivals = [...ends, ...carts, ...cartItems, ...cartDiscounts];
    const grouping = groupByTransaction(arrivals, TABLES);
    expect(grouping.transactions.map((transaction) => [transaction.txId, transaction.events.map((event) => event.source.table)])).toEqual([
      [1000, ["carts", "cart_items"]],
      [1001, ["cart_discounts", "carts"]],
      [1002, ["cart_items", "carts"]],
      [1003, ["carts"]],
    ]);
    expect(grouping.pending).toBe(0);
    expect(countTornViews(grouping.transactions.map((transaction) => transaction.events), committed).tornViews).toBe(0);
  });

  it("holds a complete transaction back while an earlier END still waits for its events", () => {
    const { carts, cartItems, ends } = seedCart(true);
    // Transaction 1001's discount has not arrived: 1002 and 1003 are complete but must wait.
    const grouping = groupByTransaction([...ends, ...carts, ...cartItems], TABLES);
    expect(grouping.transactions.map((transaction) => transaction.txId)).toEqual([1000]);
    expect(grouping.pending).toBe(3);
  });

  it("passes over a transaction that changed none of the consumed tables without holding the others back", () => {
    const { carts, cartItems, cartDiscounts, ends } = seedCart(true);
    const messageOnly = end(999, 30_900_000, {});
    const grouping = groupByTransaction([messageOnly, ...ends, ...carts, ...cartItems, ...cartDiscounts], TABLES);
    expect(grouping.transactions.map((transaction) => transaction.txId)).toEqual([1000, 1001, 1002, 1003]);
    expect(grouping.pending).toBe(0);
  });

  it("applies a redelivered event or END once", () => {
    const { carts, cartItems, cartDiscounts, ends } = seedCart(true);
    const grouping = groupByTransaction([...ends, ...carts, ...carts, ...cartItems, ...cartDiscounts, ...ends, ...cartItems], TABLES);
    expect(grouping.transactions.map((transaction) => transaction.events.length)).toEqual([2, 2, 2, 1]);
  });

  it("cannot group records that carry no transaction block, and says so", () => {
    const { carts, cartItems, cartDiscounts } = seedCart(false);
    expect(groupByTransaction([...carts, ...cartItems, ...cartDiscounts], TABLES)).toEqual({ transactions: [], pending: 0, withoutMetadata: 7 });
  });
});
