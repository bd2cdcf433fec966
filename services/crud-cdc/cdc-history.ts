import type { CartLine, CartView } from "../cart/index.ts";
import { toCartView } from "../cart/index.ts";
import type { ChangeEvent, Row, RowChangeEvent, RowOp } from "./change-event.ts";
import { cartIntentPrefix, decodeCartIntent } from "./crud/cart-intent.ts";
import type { CartIntent } from "./crud/cart-intent.ts";
import { cartStateFromRows, decodeCartDiscount, decodeCartLine, decodeCartRow } from "./crud/crud-cart-rows.ts";
import { crudTableNames } from "./crud/crud-tables.ts";

/**
 * The cart a row change belongs to: its cart_id from the row after, before, or the key (a delete
 * with a default replica identity has only the key). Null for a row of no cart.
 */
export function cartOfRowChange(event: RowChangeEvent): string | null {
  const value = event.after?.["cart_id"] ?? event.before?.["cart_id"] ?? event.key?.["cart_id"];
  return value === undefined || value === null || value === "" ? null : String(value);
}

/**
 * The CDC design's history of a cart, rebuilt from Debezium's topics alone (Kafka is its only
 * history): the cart's transactions in commit order, each with its row changes and, when the
 * writer emitted one, its intent message. Pure: the change events come in, nothing is read.
 */
export type CdcTable = (typeof CDC_TABLES)[number];
const CDC_TABLES = [crudTableNames.carts, crudTableNames.cartItems, crudTableNames.cartDiscounts] as const;

export interface CdcRowChange {
  table: CdcTable;
  op: RowOp;
  before: Row | null;
  after: Row | null;
  lsn: number;
}

export interface CdcTransaction {
  txId: number;
  /** Commit time in PostgreSQL (epoch ms), as Debezium's `source.ts_ms` says. */
  committedAt: number;
  /**
   * The last LSN of the transaction's changes. Two transactions that wrote the same row are
   * ordered by that row's lock, so the later writer's last change comes after the earlier
   * writer's: ordering by last LSN replays row images in the order they were committed, even
   * for writers that bypass the cart's lock (an operator's SQL, the naive handler).
   */
  lsn: number;
  changes: CdcRowChange[];
  intent: CartIntent | null;
}

export interface CdcAuditEntry {
  txId: number;
  /** The event types the command was decided into, when an intent message says so; else null. */
  operation: string | null;
  actor: string | null;
  reason: string | null;
  correlationId: string | null;
  /** When it was decided (intent), else when it was committed. */
  at: string;
  committedAt: string;
  /** What the rows say happened, which is all plain CDC knows. */
  rowChanges: string[];
}

export type CdcHistory = Map<string, CdcTransaction[]>;

function isCdcTable(table: string | null): table is CdcTable {
  return (CDC_TABLES as readonly (string | null)[]).includes(table);
}

/** Groups change events by cart and transaction; duplicates (same topic position or same LSN) count once. */
export function buildCdcHistory(events: readonly ChangeEvent[]): CdcHistory {
  const transactions = new Map<string, Map<number, CdcTransaction>>();
  const intents = new Map<number, CartIntent>();
  const seen = new Set<string>();
  const transactionOf = (cartId: string, txId: number, committedAt: number, lsn: number): CdcTransaction => {
    const byTx = transactions.get(cartId) ?? new Map<number, CdcTransaction>();
    transactions.set(cartId, byTx);
    const existing = byTx.get(txId);
    if (existing !== undefined) {
      existing.lsn = Math.max(existing.lsn, lsn);
      return existing;
    }
    const created: CdcTransaction = { txId, committedAt, lsn, changes: [], intent: null };
    byTx.set(txId, created);
    return created;
  };

  for (const event of events) {
    if (event.kind === "tombstone") continue;
    if (event.source.txId === null) continue;
    if (event.kind === "message") {
      if (event.prefix === cartIntentPrefix) intents.set(event.source.txId, decodeCartIntent(event.content));
      continue;
    }
    if (!isCdcTable(event.source.table)) continue;
    // At-least-once delivery: a redelivered change has the same table, LSN and key.
    const identity = `${event.source.table}/${event.source.lsn}/${JSON.stringify(event.key)}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    const cartId = cartOfRowChange(event);
    if (cartId === null) continue;
    transactionOf(cartId, event.source.txId, event.source.committedAt, event.source.lsn).changes.push({
      table: event.source.table,
      op: event.op,
      before: event.before,
      after: event.after,
      lsn: event.source.lsn,
    });
  }

  const history: CdcHistory = new Map();
  for (const [cartId, byTx] of transactions) {
    const ordered = [...byTx.values()].sort((a, b) => a.lsn - b.lsn);
    for (const transaction of ordered) {
      transaction.changes.sort((a, b) => a.lsn - b.lsn);
      transaction.intent = intents.get(transaction.txId) ?? null;
    }
    history.set(cartId, ordered);
  }
  return history;
}

export type CdcAsOf = { at: number } | { version: number };

/**
 * The cart as its rows were after the transactions up to a commit time (or the first N
 * transactions), replayed from the change events. null when the cart did not exist yet.
 *
 * The topics keep every row image as it was written, in the columns the table had then: a
 * migration changes what later records carry, never the records already there. So the line
 * reader must know every layout `cart_items` has had (`decodeCartLine`: cents, decimal, or both
 * between expand and contract), the CDC counterpart of an upcaster. `readLine` lets a scenario
 * replay with a reader that knows one layout only, as a consumer written for it would.
 */
export function cdcStateAsOf(
  transactions: readonly CdcTransaction[],
  asOf: CdcAsOf | null,
  readLine: (raw: unknown) => CartLine = decodeCartLine,
): CartView | null {
  const included = asOf === null ? transactions : "at" in asOf ? transactions.filter((tx) => tx.committedAt <= asOf.at) : transactions.slice(0, asOf.version);
  let cart: Row | null = null;
  const items = new Map<string, Row>();
  const discounts = new Map<string, Row>();
  for (const transaction of included) {
    for (const change of transaction.changes) {
      const image = change.op === "d" ? null : change.after;
      const keyRow = change.after ?? change.before ?? {};
      if (change.table === crudTableNames.carts) cart = image;
      else if (change.table === crudTableNames.cartItems) setOrDelete(items, String(keyRow["sku"]), image);
      else setOrDelete(discounts, String(keyRow["discount_id"]), image);
    }
  }
  const state = cartStateFromRows(cart === null ? null : decodeCartRow(cart), [...items.values()].map(readLine), [...discounts.values()].map(decodeCartDiscount));
  return toCartView(state);
}

function setOrDelete(rows: Map<string, Row>, key: string, image: Row | null): void {
  if (image === null) rows.delete(key);
  else rows.set(key, image);
}

/** For each transaction: what changed, and who and why as far as the topics can tell (null, never guessed). */
export function cdcAudit(transactions: readonly CdcTransaction[]): CdcAuditEntry[] {
  return transactions.map((transaction) => {
    const committedAt = new Date(transaction.committedAt).toISOString();
    return {
      txId: transaction.txId,
      operation: transaction.intent === null ? null : transaction.intent.events.join("+") || null,
      actor: transaction.intent?.actor ?? null,
      reason: transaction.intent?.reason ?? null,
      correlationId: transaction.intent?.correlationId ?? null,
      at: transaction.intent?.decidedAt ?? committedAt,
      committedAt,
      rowChanges: transaction.changes.map((change) => `${change.table}:${change.op}`),
    };
  });
}
