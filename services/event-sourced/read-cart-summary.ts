import type { CartView } from "../cart/index.ts";
import { journalSchema } from "./journal-schema.ts";
import type { Queryable } from "./queryable.ts";

export interface CartSummary {
  cartId: string;
  /** The last version of the cart's stream the row reflects. */
  streamVersion: number;
  view: CartView | null;
}

/** The projected row of one cart, as fresh as the projection's last committed batch. */
export async function readCartSummary(db: Queryable, schema: string, cartId: string): Promise<CartSummary | null> {
  const result = await db.query<{ cart_id: string; stream_version: number; view: CartView | null }>(
    `SELECT cart_id, stream_version, view FROM ${journalSchema(schema).cartSummaries} WHERE cart_id = $1`,
    [cartId],
  );
  const row = result.rows[0];
  return row === undefined ? null : { cartId: row.cart_id, streamVersion: row.stream_version, view: row.view };
}
