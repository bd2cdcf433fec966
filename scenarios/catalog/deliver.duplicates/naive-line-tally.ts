import type pg from "pg";
import { z } from "zod";
import type { ChangeEvent, RowChangeEvent } from "../../../services/crud-cdc/change-event.ts";
import { crudTableNames } from "../../../services/crud-cdc/crud/crud-tables.ts";
import { LabError } from "../../../services/platform/errors.ts";

/**
 * A NAIVE read model, here to be measured, not copied: a tally of line quantities kept by adding
 * each cart_items change's quantity delta (insert +after, update after−before, delete −before),
 * as an inventory or analytics consumer often does. It applies, then lets the feed commit, and
 * remembers nothing about what it applied: every copy of a change adds its delta again.
 * (A consumer that overwrites whole row images is accidentally idempotent for an in-order
 * redelivery; adding deltas is where a duplicate shows, which is the question asked.)
 */
const schemaPattern = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function tallyTable(schema: string): string {
  if (!schemaPattern.test(schema)) throw new LabError("UsageInvalid", `naive tally schema ${JSON.stringify(schema)} must match ${schemaPattern}`);
  return `"${schema}".naive_line_tally`;
}

export async function migrateNaiveLineTally(pool: pg.Pool, schema: string): Promise<void> {
  await pool.query(`CREATE TABLE IF NOT EXISTS ${tallyTable(schema)} (
    cart_id text NOT NULL,
    sku text NOT NULL,
    quantity bigint NOT NULL,
    PRIMARY KEY (cart_id, sku)
  )`);
}

/** One change as the tally applies it. */
export interface LineDelta {
  cartId: string;
  sku: string;
  delta: number;
}

const lineImage = z.object({ cart_id: z.string(), sku: z.string(), quantity: z.number().int() }).loose();

/** The quantity delta a cart_items change carries; null for any other change. */
export function lineDeltaOf(event: ChangeEvent): LineDelta | null {
  if (event.kind !== "row" || event.source.table !== crudTableNames.cartItems) return null;
  const before = event.op === "c" || event.op === "r" ? null : image(event, event.before, "before");
  const after = event.op === "d" ? null : image(event, event.after, "after");
  const line = after ?? before;
  if (line === null) return null;
  return { cartId: line.cart_id, sku: line.sku, delta: (after?.quantity ?? 0) - (before?.quantity ?? 0) };
}

function image(event: RowChangeEvent, row: Record<string, unknown> | null, which: "before" | "after"): z.output<typeof lineImage> {
  const parsed = lineImage.safeParse(row);
  if (parsed.success) return parsed.data;
  // Without the old row (REPLICA IDENTITY DEFAULT) an update's delta is unknowable: stop, never guess.
  throw new LabError("DecodeFailed", `cart_items ${event.op} at ${event.position.topic}[${event.position.partition}]@${event.position.offset} has no usable ${which} image (the naive tally needs REPLICA IDENTITY FULL)`, {
    details: { ...event.position },
  });
}

export async function applyToNaiveLineTally(pool: pg.Pool, schema: string, line: LineDelta): Promise<void> {
  await pool.query(
    `INSERT INTO ${tallyTable(schema)} AS tally (cart_id, sku, quantity) VALUES ($1, $2, $3)
     ON CONFLICT (cart_id, sku) DO UPDATE SET quantity = tally.quantity + excluded.quantity`,
    [line.cartId, line.sku, line.delta],
  );
}

/** The tally's quantity per line (`cartId` → sku → quantity), lines at 0 included. */
export async function readNaiveLineTally(pool: pg.Pool, schema: string): Promise<Map<string, Map<string, number>>> {
  const rows = await pool.query<{ cart_id: string; sku: string; quantity: string }>(`SELECT cart_id, sku, quantity::text AS quantity FROM ${tallyTable(schema)}`);
  const tally = new Map<string, Map<string, number>>();
  for (const row of rows.rows) {
    const lines = tally.get(row.cart_id) ?? new Map<string, number>();
    lines.set(row.sku, Number(row.quantity));
    tally.set(row.cart_id, lines);
  }
  return tally;
}
