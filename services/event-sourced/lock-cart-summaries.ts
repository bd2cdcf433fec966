import type { PoolClient } from "pg";
import type { CartState } from "../cart/index.ts";
import { statementName } from "./journal-schema.ts";
import type { JournalSchema } from "./journal-schema.ts";

/** A cart's row in the cart-summary read model, as the projection folds from it. */
export interface CartSummaryRow {
  /** The last version of the cart's stream the row reflects. */
  version: number;
  state: CartState;
}

/**
 * Locks the rows of `cartIds` for the caller's transaction in one statement, and returns them by
 * cart. The rows are locked in `cart_id` order (the lock is taken above the sort), so two
 * projections whose batches share carts take their locks in one order and cannot deadlock. A
 * cart with no row yet is absent from the result.
 */
export async function lockCartSummaries(client: PoolClient, schema: JournalSchema, cartIds: readonly string[]): Promise<Map<string, CartSummaryRow>> {
  const rows = new Map<string, CartSummaryRow>();
  if (cartIds.length === 0) return rows;
  const result = await client.query<{ cart_id: string; stream_version: number; state: CartState }>({
    name: statementName(schema, "lock-summaries"),
    text: `SELECT cart_id, stream_version, state FROM ${schema.cartSummaries}
           WHERE cart_id = ANY($1::text[]) ORDER BY cart_id FOR UPDATE`,
    values: [cartIds],
  });
  for (const row of result.rows) rows.set(row.cart_id, { version: row.stream_version, state: row.state });
  return rows;
}
