import type { Knex } from "knex";
import { crudTables } from "./crud-tables.ts";

/**
 * The migrations that move a line's price from `unit_price_cents` (integer cents) to
 * `unit_price` (numeric(12,2), currency units) in design 1's `cart_items`, while the
 * application runs. Two ways, so the lab can show both:
 *
 * - expand/contract: add the new column (`expandUnitPrice`), deploy a release that writes both,
 *   copy the old rows over (`backfillUnitPrice`), require the new column (`requireUnitPrice`),
 *   deploy a release that reads and writes the new one, then drop the old column
 *   (`contractUnitPriceCents`). No running release ever meets a
 *   table it cannot write.
 * - in one step (`renameAndRetypeUnitPrice`): rename and retype at once, as a migration written
 *   for a stopped application would, while the old release is still running.
 *
 * DDL is not captured by logical decoding: Debezium sees none of these statements, only the rows
 * written afterwards (in whatever columns the table has then) and the backfill's updates.
 */

/** Expand: the new column beside the old one, empty, so the running release is not disturbed. Idempotent. */
export async function expandUnitPrice(knex: Knex, schema: string): Promise<void> {
  const t = crudTables(schema);
  await knex.raw(`ALTER TABLE ${t.cartItems} ADD COLUMN IF NOT EXISTS unit_price numeric(12, 2) NULL CHECK (unit_price >= 0)`);
}

/**
 * Copies the price of every row the old release wrote into `unit_price`, in batches (each its
 * own short transaction, so writers wait for one batch at most, never for the whole table).
 * Resolves with the rows it updated. The division is numeric, so exact.
 */
export async function backfillUnitPrice(knex: Knex, schema: string, options: { batchSize: number }): Promise<number> {
  const t = crudTables(schema);
  let updated = 0;
  for (;;) {
    const result = await knex.raw<{ rowCount: number | null }>(
      `UPDATE ${t.cartItems} SET unit_price = unit_price_cents / 100.0
       WHERE (cart_id, sku) IN (SELECT cart_id, sku FROM ${t.cartItems} WHERE unit_price IS NULL ORDER BY cart_id, sku LIMIT ? FOR UPDATE)`,
      [options.batchSize],
    );
    const rows = result.rowCount ?? 0;
    updated += rows;
    if (rows === 0) return updated;
  }
}

/**
 * Once every row has its `unit_price`: the new column required, the old one optional, which the
 * release that writes only `unit_price` needs.
 *
 * With CDC, run it only after Debezium has streamed every change made before it. Debezium reads
 * a table's columns (nullability included) from the catalog when it meets the table's next
 * relation message, not as of the WAL record it decodes: a NOT NULL that lands while it lags
 * makes it emit earlier NULLs of that column as the type's default ("0.00"), measured on the lab's
 * stack (docs/scenarios/evolve.schema.md).
 */
export async function requireUnitPrice(knex: Knex, schema: string): Promise<void> {
  const t = crudTables(schema);
  await knex.transaction(async (trx) => {
    await trx.raw(`ALTER TABLE ${t.cartItems} ALTER COLUMN unit_price SET NOT NULL`);
    await trx.raw(`ALTER TABLE ${t.cartItems} ALTER COLUMN unit_price_cents DROP NOT NULL`);
  });
}

/** Contract: the old column goes, once no running release reads or writes it. */
export async function contractUnitPriceCents(knex: Knex, schema: string): Promise<void> {
  const t = crudTables(schema);
  await knex.raw(`ALTER TABLE ${t.cartItems} DROP COLUMN IF EXISTS unit_price_cents`);
}

/**
 * The naive migration: rename and retype in one transaction. It rewrites the table under an
 * ACCESS EXCLUSIVE lock, and from its commit on every statement of the old release that names
 * `unit_price_cents` fails.
 */
export async function renameAndRetypeUnitPrice(knex: Knex, schema: string): Promise<void> {
  const t = crudTables(schema);
  await knex.transaction(async (trx) => {
    await trx.raw(`ALTER TABLE ${t.cartItems} RENAME COLUMN unit_price_cents TO unit_price`);
    await trx.raw(`ALTER TABLE ${t.cartItems} ALTER COLUMN unit_price TYPE numeric(12, 2) USING unit_price / 100.0`);
  });
}
