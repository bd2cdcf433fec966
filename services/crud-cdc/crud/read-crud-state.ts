import type { Knex } from "knex";
import { toCartView } from "../../cart/index.ts";
import type { CartView } from "../../cart/index.ts";
import type { CrudPriceColumns } from "./crud-cart-rows.ts";
import { loadCrudCart } from "./load-crud-cart.ts";
import { crudTableNames, crudTables } from "./crud-tables.ts";

/**
 * A cart as the tables hold it now, in the `state --json` contract; null for an unknown cart.
 * The tables keep no past: asking them for another time is the caller's `Unsupported` error.
 */
export async function readCrudCart(knex: Knex, schema: string, cartId: string, options: { prices?: CrudPriceColumns } = {}): Promise<CartView | null> {
  const { schema: checked } = crudTables(schema);
  // One statement reads the carts row, lines and discounts: one snapshot, so a commit landing
  // meanwhile cannot mix two versions, and no transaction around it is needed.
  const loaded = await loadCrudCart(knex, checked, cartId, { lock: false, prices: options.prices });
  return toCartView(loaded.state);
}

/** Every cartId in the tables, in code-point order (the "C" collation), whatever the database's locale. */
export async function listCrudCartIds(knex: Knex, schema: string): Promise<string[]> {
  const { schema: checked } = crudTables(schema);
  const rows: { cart_id: string }[] = await knex
    .withSchema(checked)
    .from(crudTableNames.carts)
    .select("cart_id")
    .orderByRaw('cart_id COLLATE "C"');
  return rows.map((row) => row.cart_id);
}
