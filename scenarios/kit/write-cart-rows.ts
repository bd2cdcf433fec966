import type { CartView } from "../../services/cart/index.ts";
import { cartDiscountRecord, cartItemRecord } from "../../services/crud-cdc/crud/crud-cart-rows.ts";
import { crudTableNames, crudTables } from "../../services/crud-cdc/crud/crud-tables.ts";
import type { CdcDriver, CrudDriver } from "./drivers/subject-driver.ts";

/**
 * An operator's restore script for one cart of a subject's CRUD tables: the rows become exactly
 * `view` (null: the cart had no rows then), in one transaction. It bypasses the application on
 * purpose, as a PITR of a few rows would: the tables are what was damaged, and the rows are
 * what the topics remember. Debezium captures these writes like any other change.
 */
export async function writeCartRows(tables: CrudDriver | CdcDriver, cartId: string, view: CartView | null): Promise<void> {
  const { schema: checked } = crudTables(tables.names.crudSchema);
  await tables.knex.transaction(async (trx) => {
    const table = (name: string) => trx.withSchema(checked).table(name);
    // Children first: their foreign keys name the carts row.
    await table(crudTableNames.cartDiscounts).where({ cart_id: cartId }).delete();
    await table(crudTableNames.cartItems).where({ cart_id: cartId }).delete();
    if (view === null) {
      await table(crudTableNames.carts).where({ cart_id: cartId }).delete();
      return;
    }
    const now = new Date().toISOString();
    await table(crudTableNames.carts)
      .insert({ cart_id: cartId, status: view.status, total_cents: view.status === "checked_out" ? view.totalCents : null, created_at: now, updated_at: now })
      .onConflict("cart_id")
      .merge(["status", "total_cents", "updated_at"]);
    if (view.items.length > 0) await table(crudTableNames.cartItems).insert(view.items.map((line) => cartItemRecord(cartId, line)));
    if (view.discounts.length > 0) await table(crudTableNames.cartDiscounts).insert(view.discounts.map((discount) => cartDiscountRecord(cartId, discount)));
  });
}
