import { toCartView } from "../../../services/cart/index.ts";
import type { CartView } from "../../../services/cart/index.ts";
import type { ChangeEvent, Row, RowChangeEvent } from "../../../services/crud-cdc/change-event.ts";
import { cartStateFromRows, decodeCartDiscount, decodeCartLine, decodeCartRow } from "../../../services/crud-cdc/crud/crud-cart-rows.ts";
import { crudTableNames } from "../../../services/crud-cdc/crud/crud-tables.ts";
import { cartViewKey } from "./cart-view-key.ts";

/**
 * What a downstream consumer of the CRUD tables shows, and whether it ever showed a cart the
 * database never held. Pure: the change events come in in the order the consumer applied them.
 */

/** Change events a consumer applies together: nobody can read its state between them. */
export type ApplyStep = readonly RowChangeEvent[];

export interface TornViewCount {
  /** Distinct (cart, view) pairs the consumer showed after a step, over the carts asked about. */
  viewsShown: number;
  /** Of those, the ones that are not among the cart's committed states. */
  tornViews: number;
  /** The torn views themselves (cart and view), for evidence. */
  torn: ShownView[];
}

interface CartRows {
  cart: Row | null;
  items: Map<string, Row>;
  discounts: Map<string, Row>;
}

/** The three state tables' rows per cart, as a consumer applying row changes holds them. */
export function createCartRowsReplica(): { apply(event: RowChangeEvent): string | null; view(cartId: string): CartView | null } {
  const carts = new Map<string, CartRows>();
  return {
    /** Applies one row change; resolves with the cart it touched, or null for another table. */
    apply(event) {
      const table = event.source.table;
      if (table !== crudTableNames.carts && table !== crudTableNames.cartItems && table !== crudTableNames.cartDiscounts) return null;
      const keyRow = event.after ?? event.before ?? event.key ?? {};
      const cartId = keyRow["cart_id"];
      if (typeof cartId !== "string") return null;
      const rows = carts.get(cartId) ?? { cart: null, items: new Map<string, Row>(), discounts: new Map<string, Row>() };
      carts.set(cartId, rows);
      const image = event.op === "d" ? null : event.after;
      if (table === crudTableNames.carts) rows.cart = image;
      else if (table === crudTableNames.cartItems) setOrDelete(rows.items, String(keyRow["sku"]), image);
      else setOrDelete(rows.discounts, String(keyRow["discount_id"]), image);
      return cartId;
    },
    view(cartId) {
      const rows = carts.get(cartId);
      if (rows === undefined) return null;
      const state = cartStateFromRows(
        rows.cart === null ? null : decodeCartRow(rows.cart),
        [...rows.items.values()].map(decodeCartLine),
        [...rows.discounts.values()].map(decodeCartDiscount),
      );
      return toCartView(state);
    },
  };
}

function setOrDelete(rows: Map<string, Row>, key: string, image: Row | null): void {
  if (image === null) rows.delete(key);
  else rows.set(key, image);
}

/**
 * Applies the steps in order and, after each, looks at every cart the step touched: a view
 * that is not one of that cart's committed states (`committed`, from the runner's record) is
 * torn. Counted once per distinct view: a consumer that shows the same wrong cart twice showed
 * one state that never existed. Carts missing from `committed` are not judged.
 */
export function countTornViews(steps: readonly ApplyStep[], committed: ReadonlyMap<string, readonly (CartView | null)[]>): TornViewCount {
  const replica = createCartRowsReplica();
  const shown: ShownView[] = [];
  for (const step of steps) {
    const touched = new Set<string>();
    for (const event of step) {
      const cartId = replica.apply(event);
      if (cartId !== null) touched.add(cartId);
    }
    for (const cartId of touched) shown.push({ cartId, view: replica.view(cartId) });
  }
  return tornAmong(shown, committed);
}

/** A cart as a reader could see it at one moment. */
export interface ShownView {
  cartId: string;
  view: CartView | null;
}

/** The distinct views among `shown`, and those that were never a committed state of their cart. */
export function tornAmong(shown: readonly ShownView[], committed: ReadonlyMap<string, readonly (CartView | null)[]>): TornViewCount {
  const committedKeys = new Map([...committed].map(([cartId, views]) => [cartId, new Set(views.map(cartViewKey))] as const));
  const distinct = new Set<string>();
  const torn: ShownView[] = [];
  for (const { cartId, view } of shown) {
    const keys = committedKeys.get(cartId);
    if (keys === undefined) continue;
    const key = cartViewKey(view);
    const identity = `${cartId}\u0000${key}`;
    if (distinct.has(identity)) continue;
    distinct.add(identity);
    if (!keys.has(key)) torn.push({ cartId, view });
  }
  return { viewsShown: distinct.size, tornViews: torn.length, torn };
}

/** The per-table consumer: every row change is applied, and visible, as it arrives. */
export function perRecordSteps(arrivals: readonly unknown[]): ApplyStep[] {
  return arrivals.filter(isRowChange).map((event) => [event]);
}

export function isRowChange(item: unknown): item is RowChangeEvent {
  return typeof item === "object" && item !== null && (item as ChangeEvent).kind === "row";
}
