import type { PoolClient } from "pg";
import { toCartView } from "../cart/index.ts";
import type { CartState } from "../cart/index.ts";
import { statementName } from "./journal-schema.ts";
import type { JournalSchema } from "./journal-schema.ts";
import type { CartSummaryRow } from "./lock-cart-summaries.ts";

/**
 * Writes the rows of many carts in one statement (one array per column, unnested). Rows are
 * inserted in `cart_id` order, the order `lockCartSummaries` locks in, so two projections
 * creating the same new carts wait on each other instead of deadlocking. A row already at or
 * past the written version is kept: a redelivery never moves a cart back.
 */
export async function writeCartSummaries(client: PoolClient, schema: JournalSchema, rows: ReadonlyMap<string, CartSummaryRow>): Promise<void> {
  if (rows.size === 0) return;
  const cartIds: string[] = [];
  const versions: number[] = [];
  const statuses: string[] = [];
  const totals: number[] = [];
  const states: string[] = [];
  const views: string[] = [];
  for (const [cartId, row] of rows) {
    const view = toCartView(row.state);
    cartIds.push(cartId);
    versions.push(row.version);
    statuses.push(row.state.status);
    totals.push(view?.totalCents ?? 0);
    states.push(JSON.stringify(withoutCustomer(row.state)));
    // JSON `null` (the column is NOT NULL): the view of a cart with nothing to show.
    views.push(JSON.stringify(view));
  }
  await client.query({
    name: statementName(schema, "write-summaries"),
    text: `INSERT INTO ${schema.cartSummaries} AS s (cart_id, stream_version, status, total_cents, state, view)
     SELECT w.cart_id, w.stream_version, w.status, w.total_cents, w.state::jsonb, w.view::jsonb
     FROM unnest($1::text[], $2::int[], $3::text[], $4::bigint[], $5::text[], $6::text[])
       AS w(cart_id, stream_version, status, total_cents, state, view)
     ORDER BY w.cart_id
     ON CONFLICT (cart_id) DO UPDATE
       SET stream_version = EXCLUDED.stream_version, status = EXCLUDED.status, total_cents = EXCLUDED.total_cents,
           state = EXCLUDED.state, view = EXCLUDED.view, updated_at = clock_timestamp()
       WHERE s.stream_version < EXCLUDED.stream_version`,
    values: [cartIds, versions, statuses, totals, states, views],
  });
}

/**
 * The summary needs no personal data, so it keeps none (data minimisation): the state it stores
 * to fold the next event from drops the customer, which only CheckedOut copies and the view
 * never shows. An erasure then has nothing to find here, whatever the journal does.
 */
function withoutCustomer(state: CartState): CartState {
  if (state.status === "empty" || state.customer === undefined) return state;
  const rest = { ...state };
  delete rest.customer;
  return rest;
}
