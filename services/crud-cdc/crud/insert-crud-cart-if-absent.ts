import type { Knex } from "knex";
import { crudTableNames } from "./crud-tables.ts";

/**
 * Inserts an open, empty carts row unless one exists; true when this call inserted it. A
 * concurrent insert of the same cart waits for the first to commit and then inserts nothing,
 * which is what lets two first AddItems of one cart meet on a single row lock.
 */
export async function insertCrudCartIfAbsent(db: Knex, schema: string, cartId: string, at: string): Promise<boolean> {
  const inserted: unknown[] = await db
    .withSchema(schema)
    .insert({ cart_id: cartId, status: "open", total_cents: null, created_at: at, updated_at: at })
    .into(crudTableNames.carts)
    .onConflict("cart_id")
    .ignore()
    .returning("cart_id");
  return inserted.length === 1;
}
