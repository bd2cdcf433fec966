import type { Knex } from "knex";
import type { CartItemSet, CrudRowChanges } from "./crud-row-changes.ts";
import { crudTableNames, crudTables } from "./crud-tables.ts";
import { insertCrudCartIfAbsent } from "./insert-crud-cart-if-absent.ts";

// The types a line's settable columns are cast to: a bind parameter in a CASE has none of its own.
const itemColumnTypes: Record<keyof CartItemSet, string> = { quantity: "int", unit_price_cents: "bigint", unit_price: "numeric" };

/** Updates that set the same columns, so one UPDATE can write them all. */
function byColumns(updates: CrudRowChanges["cartItems"]["updates"]): { columns: (keyof CartItemSet)[]; rows: { sku: string; set: CartItemSet }[] }[] {
  const groups = new Map<string, { columns: (keyof CartItemSet)[]; rows: { sku: string; set: CartItemSet }[] }>();
  for (const update of updates) {
    const columns = (Object.keys(update.set) as (keyof CartItemSet)[]).sort();
    const key = columns.join(",");
    const group = groups.get(key) ?? { columns, rows: [] };
    group.rows.push(update);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** A line's value for one column of its group. */
function valueOf(row: { sku: string; set: CartItemSet }, column: keyof CartItemSet): string | number {
  const value = row.set[column];
  // Grouped by the columns they set, so every row of a group has each of them.
  if (value === undefined) throw new Error(`line ${row.sku} sets no ${column}`);
  return value;
}

/**
 * Writes a command's row changes: one statement per table and kind of change, each taking every
 * row of the command (for what `decide` produces today, one statement per table). The order
 * is the one a change of each kind needs: the carts row before the lines that reference it,
 * deletes before inserts of the same key, the carts row's update and the outbox last.
 */
export async function writeCrudRowChanges(db: Knex, schema: string, changes: CrudRowChanges): Promise<void> {
  const t = crudTables(schema);
  const { cartId, carts, cartItems, cartDiscounts, outbox } = changes;
  const table = (name: string) => db.withSchema(t.schema).table(name);

  if (carts.insertIfAbsent !== null) await insertCrudCartIfAbsent(db, t.schema, cartId, carts.insertIfAbsent.at);
  if (cartItems.deletes.length > 0) await table(crudTableNames.cartItems).where({ cart_id: cartId }).whereIn("sku", cartItems.deletes).delete();
  for (const { columns, rows } of byColumns(cartItems.updates)) {
    // A CASE per column keyed by sku rather than a join with the values: it plans like the
    // single-row UPDATE it is for every command `decide` produces today.
    const cases = columns.map((column) => `"${column}" = CASE sku ${rows.map(() => `WHEN ? THEN ?::${itemColumnTypes[column]}`).join(" ")} END`);
    await db.raw(`UPDATE ${t.cartItems} SET ${cases.join(", ")} WHERE cart_id = ? AND sku IN (${rows.map(() => "?").join(", ")})`, [
      ...columns.flatMap((column) => rows.flatMap((row) => [row.sku, valueOf(row, column)])),
      cartId,
      ...rows.map((row) => row.sku),
    ]);
  }
  if (cartItems.inserts.length > 0) {
    // A conflict happens only without the lock (naive mode): another writer inserted the line
    // since we read; the save overwrites its quantity, as an ORM's upsert would.
    await table(crudTableNames.cartItems).insert(cartItems.inserts).onConflict(["cart_id", "sku"]).merge(["quantity"]);
  }
  if (cartDiscounts.deletes.length > 0) {
    await table(crudTableNames.cartDiscounts).where({ cart_id: cartId }).whereIn("discount_id", cartDiscounts.deletes).delete();
  }
  if (cartDiscounts.inserts.length > 0) await table(crudTableNames.cartDiscounts).insert(cartDiscounts.inserts);
  if (carts.update !== null) await table(crudTableNames.carts).update(carts.update).where({ cart_id: cartId });
  if (outbox.inserts.length > 0) {
    await table(crudTableNames.outbox).insert(
      // Stringified here: node-postgres would turn a JS array into a PostgreSQL array, and the
      // payload must reach jsonb as JSON whatever its top-level shape.
      outbox.inserts.map(({ record, createdAt }) => ({ ...record, payload: JSON.stringify(record.payload), created_at: createdAt })),
    );
  }
}
