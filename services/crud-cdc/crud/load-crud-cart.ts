import type { Knex } from "knex";
import type { CartState } from "../../cart/index.ts";
import { LabError } from "../../platform/errors.ts";
import { cartCustomerColumns, cartStateFromRows, centsPriceColumns, decodeCartDiscount, decodeCartLine, decodeCartRow } from "./crud-cart-rows.ts";
import type { CrudPriceColumns, PriceColumn } from "./crud-cart-rows.ts";
import { crudTables } from "./crud-tables.ts";
import type { CrudTables } from "./crud-tables.ts";

/**
 * A cart as one transaction found it. `cartRow` says whether its `carts` row exists, and
 * whether this transaction is the one that just inserted it (so the state is still "empty").
 */
export interface LoadedCrudCart {
  state: CartState;
  cartRow: "absent" | "existing" | "inserted";
}

/**
 * The carts row with its lines and discounts aggregated beside it: one statement, one round trip.
 * Money leaves as text (bigint and numeric both), so the row decoders see what node-postgres
 * gives for those columns, not a JSON number that would round a large bigint or drop a
 * numeric's trailing zero.
 *
 * With `lock`, the carts row is locked FOR UPDATE, and `stale` tells whether the sub-selects
 * may have read too early. Under READ COMMITTED a statement that waits for the lock gets the
 * row's newest version once the holder commits, but its sub-selects still read the snapshot
 * taken when it started, before that holder's lines and discounts committed. Every command the
 * handler accepts updates its carts row, so a locked version other than the snapshot's one is
 * the sign; the snapshot's one is read again (unlocked) to compare.
 */
function loadStatement(t: CrudTables, price: PriceColumn, lock: boolean): string {
  const customer = cartCustomerColumns.map((column) => `c.${column}`).join(", ");
  const staleness = lock ? `, (SELECT s.xmin FROM ${t.carts} s WHERE s.cart_id = c.cart_id) IS DISTINCT FROM c.xmin AS stale` : "";
  return `SELECT c.cart_id, c.status, c.total_cents, ${customer},
  (SELECT coalesce(json_agg(json_build_object('sku', i.sku, 'name', i.name, '${price}', i."${price}"::text, 'quantity', i.quantity)), '[]')
     FROM ${t.cartItems} i WHERE i.cart_id = c.cart_id) AS lines,
  (SELECT coalesce(json_agg(json_build_object('discount_id', d.discount_id, 'sku', d.sku, 'min_quantity', d.min_quantity, 'amount_cents', d.amount_cents::text)), '[]')
     FROM ${t.cartDiscounts} d WHERE d.cart_id = c.cart_id) AS discounts${staleness}
FROM ${t.carts} c WHERE c.cart_id = ?${lock ? " FOR UPDATE OF c" : ""}`;
}

interface LoadedRow {
  lines: unknown;
  discounts: unknown;
  stale?: boolean;
}

function rowsOf(table: string, value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  throw new LabError("DecodeFailed", `the load of a cart returned its ${table} as ${typeof value}, not as a JSON array`, { details: { table } });
}

async function loadOnce(db: Knex, t: CrudTables, cartId: string, price: PriceColumn, lock: boolean): Promise<{ loaded: LoadedCrudCart; stale: boolean }> {
  const result = await db.raw<{ rows: (LoadedRow & Record<string, unknown>)[] }>(loadStatement(t, price, lock), [cartId]);
  const row = result.rows[0];
  if (row === undefined) return { loaded: { state: { status: "empty" }, cartRow: "absent" }, stale: false };
  const state = cartStateFromRows(decodeCartRow(row), rowsOf("cart_items", row.lines).map(decodeCartLine), rowsOf("cart_discounts", row.discounts).map(decodeCartDiscount));
  return { loaded: { state, cartRow: "existing" }, stale: row.stale === true };
}

/**
 * Loads one cart's rows into the rules' state in one statement; with `lock`, under the carts
 * row's lock. After waiting for another writer's lock it loads once more (the lock is held
 * then, so that second statement's snapshot has the writer's rows): two round trips only when
 * another command of the same cart was in the way.
 */
export async function loadCrudCart(
  db: Knex,
  schema: string,
  cartId: string,
  options: { lock: boolean; prices?: CrudPriceColumns },
): Promise<LoadedCrudCart> {
  const t = crudTables(schema);
  const price = (options.prices ?? centsPriceColumns).read;
  const first = await loadOnce(db, t, cartId, price, options.lock);
  if (!first.stale) return first.loaded;
  return (await loadOnce(db, t, cartId, price, options.lock)).loaded;
}
