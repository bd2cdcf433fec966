import { evolve } from "../../cart/index.ts";
import type { CartEvent, CartState } from "../../cart/index.ts";
import { cartCheckedOutOutboxRecord } from "./cart-outbox.ts";
import type { CartOutboxRecord } from "./cart-outbox.ts";
import { cartCustomerRecord, cartDiscountRecord, cartItemRecord, centsPriceColumns, priceColumnValues } from "./crud-cart-rows.ts";
import type { CartDiscountRecord, CartItemRecord, CrudPriceColumns, cartCustomerColumns } from "./crud-cart-rows.ts";
import type { LoadedCrudCart } from "./load-crud-cart.ts";

/** Columns a command sets on an existing `cart_items` row. */
export interface CartItemSet {
  quantity?: number;
  unit_price_cents?: number;
  unit_price?: string;
}

/** Columns a command sets on its `carts` row; `updated_at` always, the aggregate root says when the cart last changed. */
export type CartRowSet = { updated_at: string; status?: "checked_out"; total_cents?: number } & Partial<Record<(typeof cartCustomerColumns)[number], string | null>>;

export interface CartOutboxInsert {
  record: CartOutboxRecord;
  createdAt: string;
}

/**
 * What one command writes, per table and per kind of row change, as a CRUD application saves
 * an entity: new values come from the state the command was decided on and are written as
 * absolute values. Under the handler's row lock that state is current; without it (naive mode)
 * a concurrent writer's change is overwritten, the lost update the lab sets out to show.
 *
 * A row's changes are folded into one (a line added and raised in one command is one INSERT,
 * added and removed is nothing), except that a row deleted and then added again stays a DELETE
 * and an INSERT: that is what happened to it. An UPDATE is never turned into a DELETE and an
 * INSERT or the other way round, since CDC consumers count and read each kind.
 */
export interface CrudRowChanges {
  cartId: string;
  carts: {
    /** The naive handler opening a cart: its lines reference it, so it is written first. */
    insertIfAbsent: { at: string } | null;
    /** Written after lines and discounts, as the old handler did, so a transaction's change events keep their order. */
    update: CartRowSet | null;
  };
  cartItems: { deletes: string[]; updates: { sku: string; set: CartItemSet }[]; inserts: CartItemRecord[] };
  cartDiscounts: { deletes: string[]; inserts: CartDiscountRecord[] };
  outbox: { inserts: CartOutboxInsert[] };
}

export interface CrudRowChangesContext {
  /** The command's decidedAt: row timestamps and the checkout time come from it, not the database clock. */
  at: string;
  /** Ids for outbox rows; a uuid. */
  newEventId: () => string;
  /** The price column(s) the running release writes; cents only when absent. */
  prices?: CrudPriceColumns;
}

interface ItemChange {
  /** The row existed when the command loaded the cart and is gone now. */
  deleted: boolean;
  write: { kind: "insert"; record: CartItemRecord } | { kind: "update"; set: CartItemSet } | null;
}

interface DiscountChange {
  deleted: boolean;
  insert: CartDiscountRecord | null;
}

function linesOf(state: CartState) {
  return state.status === "empty" ? [] : state.items;
}

function discountsOf(state: CartState) {
  return state.status === "empty" ? [] : state.discounts;
}

function changeOf<C>(changes: Map<string, C>, key: string, empty: () => C): C {
  const existing = changes.get(key);
  if (existing !== undefined) return existing;
  const created = empty();
  changes.set(key, created);
  return created;
}

/** A line's new column values: into the pending INSERT if this command inserts the row, else an UPDATE. */
function setOnLine(change: ItemChange, values: CartItemSet): void {
  if (change.write?.kind === "insert") change.write = { kind: "insert", record: { ...change.write.record, ...values } };
  else change.write = { kind: "update", set: { ...change.write?.set, ...values } };
}

/** Pure: the rows a command's events change, from the cart as the command loaded it. */
export function crudRowChanges(cartId: string, loaded: LoadedCrudCart, events: readonly CartEvent[], context: CrudRowChangesContext): CrudRowChanges {
  const prices = context.prices ?? centsPriceColumns;
  const items = new Map<string, ItemChange>();
  const discounts = new Map<string, DiscountChange>();
  const outbox: CartOutboxInsert[] = [];
  let insertCart = false;
  let cartSet: CartRowSet | null = null;
  let state = loaded.state;
  const loadedLine = (sku: string) => linesOf(loaded.state).some((line) => line.sku === sku);
  const loadedDiscount = (discountId: string) => discountsOf(loaded.state).some((discount) => discount.discountId === discountId);
  const item = (sku: string) => changeOf(items, sku, (): ItemChange => ({ deleted: false, write: null }));
  const discount = (discountId: string) => changeOf(discounts, discountId, (): DiscountChange => ({ deleted: false, insert: null }));

  for (const event of events) {
    switch (event.type) {
      case "ItemAdded": {
        if (loaded.cartRow === "absent") insertCart = true;
        const line = linesOf(state).find((candidate) => candidate.sku === event.sku);
        const change = item(event.sku);
        if (line === undefined) change.write = { kind: "insert", record: cartItemRecord(cartId, event, prices) };
        else setOnLine(change, { quantity: line.quantity + event.quantity });
        break;
      }
      case "ItemRemoved":
        item(event.sku).write = null;
        item(event.sku).deleted = loadedLine(event.sku);
        break;
      case "PriceCorrected":
        // Written even when the price is the same: the correction is a row change of its own.
        setOnLine(item(event.sku), priceColumnValues(event.unitPriceCents, prices));
        break;
      case "DiscountApplied":
        discount(event.discountId).insert = cartDiscountRecord(cartId, event);
        break;
      case "DiscountRevoked":
        discount(event.discountId).insert = null;
        discount(event.discountId).deleted = loadedDiscount(event.discountId);
        break;
      case "CheckedOut":
        cartSet = { ...(cartSet ?? {}), status: "checked_out", total_cents: event.totalCents, updated_at: context.at };
        outbox.push({ record: cartCheckedOutOutboxRecord(event, context.newEventId(), context.at), createdAt: context.at });
        break;
      case "CustomerAttached":
        cartSet = { ...(cartSet ?? {}), ...cartCustomerRecord(event.customer), updated_at: context.at };
        break;
      default: {
        const unexpected: never = event;
        throw new Error(`Unexpected cart event: ${JSON.stringify(unexpected)}`);
      }
    }
    state = evolve(state, event);
  }

  // The cart row is the aggregate root: its updated_at says when the cart last changed, as a
  // CRUD schema would keep it, and it gives plain CDC one row change per command to time. A
  // row this command inserted already says so.
  if (cartSet === null && events.length > 0 && loaded.cartRow !== "inserted" && !insertCart) cartSet = { updated_at: context.at };
  const itemChanges = [...items.entries()];
  const discountChanges = [...discounts.entries()];
  return {
    cartId,
    carts: { insertIfAbsent: insertCart ? { at: context.at } : null, update: cartSet },
    cartItems: {
      deletes: itemChanges.filter(([, change]) => change.deleted).map(([sku]) => sku),
      updates: itemChanges.flatMap(([sku, change]) => (change.write?.kind === "update" ? [{ sku, set: change.write.set }] : [])),
      inserts: itemChanges.flatMap(([, change]) => (change.write?.kind === "insert" ? [change.write.record] : [])),
    },
    cartDiscounts: {
      deletes: discountChanges.filter(([, change]) => change.deleted).map(([discountId]) => discountId),
      inserts: discountChanges.flatMap(([, change]) => (change.insert === null ? [] : [change.insert])),
    },
    outbox: { inserts: outbox },
  };
}
