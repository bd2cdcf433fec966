import type pg from "pg";
import { toCartView } from "../cart/index.ts";
import type { CartView } from "../cart/index.ts";
import { LabError } from "../platform/errors.ts";
import type { ChangeEvent } from "./change-event.ts";
import type { ChangeFeed, ChangeSubscription } from "./change-feed.ts";
import { cartStateFromRows, decodeCartDiscount, decodeCartLine, decodeCartRow } from "./crud/crud-cart-rows.ts";
import { crudStateTables, crudTableNames } from "./crud/crud-tables.ts";

/**
 * A read model fed by the change feed: a copy of the captured rows, each stamped with the LSN of
 * the change that wrote it. A change applies only if its LSN is newer than the row's, so a
 * redelivered change (Debezium is at least once after a crash) changes nothing, and the three
 * topics can arrive in any interleaving.
 */
const schemaPattern = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function rowsTable(schema: string): string {
  if (!schemaPattern.test(schema)) throw new LabError("UsageInvalid", `read model schema ${JSON.stringify(schema)} must match ${schemaPattern}`);
  return `"${schema}".cdc_rows`;
}

export async function migrateCdcReadModel(pool: pg.Pool, schema: string): Promise<void> {
  const table = rowsTable(schema);
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (
    source_table text NOT NULL,
    row_key text NOT NULL,
    cart_id text NOT NULL,
    image jsonb,
    lsn bigint NOT NULL,
    PRIMARY KEY (source_table, row_key)
  )`);
  await pool.query(`CREATE INDEX IF NOT EXISTS cdc_rows_cart ON ${table} (cart_id)`);
}

export type ApplyOutcome = "applied" | "stale" | "ignored";

/** Applies one change event; `stale` is a change the read model already has (or a newer one). */
export async function applyToCdcReadModel(pool: pg.Pool, schema: string, event: ChangeEvent): Promise<ApplyOutcome> {
  if (event.kind !== "row" || !(crudStateTables as readonly (string | null)[]).includes(event.source.table)) return "ignored";
  const image = event.op === "d" ? null : event.after;
  const keyRow = event.key ?? event.after ?? event.before ?? {};
  const rowKey = JSON.stringify(Object.keys(keyRow).sort().map((column) => [column, keyRow[column]]));
  const cartId = String(keyRow["cart_id"] ?? event.after?.["cart_id"] ?? event.before?.["cart_id"] ?? "");
  const result = await pool.query(
    `INSERT INTO ${rowsTable(schema)} AS current (source_table, row_key, cart_id, image, lsn) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (source_table, row_key) DO UPDATE SET image = excluded.image, lsn = excluded.lsn
     WHERE current.lsn < excluded.lsn`,
    [event.source.table, rowKey, cartId, image === null ? null : JSON.stringify(image), event.source.lsn],
  );
  return result.rowCount === 1 ? "applied" : "stale";
}

export async function readCdcReadModelCart(pool: pg.Pool, schema: string, cartId: string): Promise<CartView | null> {
  const rows = await pool.query<{ source_table: string; image: Record<string, unknown> }>(
    `SELECT source_table, image FROM ${rowsTable(schema)} WHERE cart_id = $1 AND image IS NOT NULL`,
    [cartId],
  );
  const of = (table: string) => rows.rows.filter((row) => row.source_table === table).map((row) => row.image);
  const [cart] = of(crudTableNames.carts);
  return toCartView(cartStateFromRows(cart === undefined ? null : decodeCartRow(cart), of(crudTableNames.cartItems).map(decodeCartLine), of(crudTableNames.cartDiscounts).map(decodeCartDiscount)));
}

export interface CdcReadModelCounts {
  applied: number;
  stale: number;
}

/** Keeps the read model up to date from the variant's topics until stopped. */
export async function startCdcReadModel(options: { feed: ChangeFeed; pool: pg.Pool; schema: string; topics: string[]; groupId: string }): Promise<{ subscription: ChangeSubscription; counts: CdcReadModelCounts }> {
  const counts: CdcReadModelCounts = { applied: 0, stale: 0 };
  await migrateCdcReadModel(options.pool, options.schema);
  const subscription = await options.feed.subscribe({ groupId: options.groupId, topics: options.topics, fromBeginning: true }, async (event) => {
    const outcome = await applyToCdcReadModel(options.pool, options.schema, event);
    if (outcome === "applied") counts.applied += 1;
    else if (outcome === "stale") counts.stale += 1;
  });
  return { subscription, counts };
}
