import type { CartView } from "../../services/cart/index.ts";
import { crudTables } from "../../services/crud-cdc/crud/crud-tables.ts";
import { journalSchema } from "../../services/event-sourced/journal-schema.ts";
import { withTransaction } from "../../services/event-sourced/transaction.ts";
import { byDesign } from "./drivers/subject-driver.ts";
import type { CdcDriver, CrudDriver, EsDriver, SubjectDriver } from "./drivers/subject-driver.ts";

/**
 * What an operator does by hand to the state tables, bypassing the application: the kinds of
 * edit a support ticket or a "quick fix" in a SQL console produces. Each one changes any cart
 * that has at least one line, so every planned edit really damages its cart.
 */
export const HAND_EDITS = ["inflate-quantity", "hand-discount", "delete-cart"] as const;
export type HandEdit = (typeof HAND_EDITS)[number];

export interface PlannedEdit {
  cartId: string;
  edit: HandEdit;
  /** A sku the cart holds, for the edit that needs one. */
  sku: string;
}

/** The discount id the hand edit invents; the application never uses it, so the edit always adds a row. */
export const HAND_DISCOUNT_ID = "hand-edit";

/**
 * Up to `count` carts that hold a line, spread over the carts in code-point order, each with
 * the next kind of edit in turn. Pure, so the same record always gets the same edits.
 */
export function planHandEdits(views: ReadonlyMap<string, CartView | null>, count: number): PlannedEdit[] {
  const eligible = [...views.entries()]
    .flatMap(([cartId, view]) => (view !== null && view.items[0] !== undefined ? [{ cartId, sku: view.items[0].sku }] : []))
    .sort((a, b) => (a.cartId < b.cartId ? -1 : a.cartId > b.cartId ? 1 : 0));
  const wanted = Math.min(count, eligible.length);
  const planned: PlannedEdit[] = [];
  for (let index = 0; index < wanted; index += 1) {
    const cart = eligible[Math.floor((index * eligible.length) / wanted)];
    const edit = HAND_EDITS[index % HAND_EDITS.length];
    if (cart !== undefined && edit !== undefined) planned.push({ ...cart, edit });
  }
  return planned;
}

/**
 * The edits on the state an operator can reach with SQL: the CRUD tables (streamed or not), or
 * the event-sourced design's cart_summaries read model (its journal refuses UPDATE and DELETE).
 */
export function editStateByHand(driver: SubjectDriver, edits: readonly PlannedEdit[]): Promise<void> {
  return byDesign(driver, {
    es: (journal) => editCartSummaries(journal, edits),
    crud: (tables) => editCrudTables(tables, edits),
    cdc: (tables) => editCrudTables(tables, edits),
  });
}

/** The edits as SQL on a subject's CRUD tables, in one transaction, as a console session would run them. */
export async function editCrudTables(tables: CrudDriver | CdcDriver, edits: readonly PlannedEdit[]): Promise<void> {
  const t = crudTables(tables.names.crudSchema);
  await tables.knex.transaction(async (trx) => {
    for (const { cartId, edit, sku } of edits) {
      switch (edit) {
        case "inflate-quantity":
          await trx.raw(`UPDATE ${t.cartItems} SET quantity = quantity + 5 WHERE cart_id = ?`, [cartId]);
          break;
        case "hand-discount":
          await trx.raw(`INSERT INTO ${t.cartDiscounts} (cart_id, discount_id, sku, min_quantity, amount_cents) VALUES (?, ?, ?, 1, -500)`, [cartId, HAND_DISCOUNT_ID, sku]);
          break;
        case "delete-cart":
          await trx.raw(`DELETE FROM ${t.cartDiscounts} WHERE cart_id = ?`, [cartId]);
          await trx.raw(`DELETE FROM ${t.cartItems} WHERE cart_id = ?`, [cartId]);
          await trx.raw(`DELETE FROM ${t.carts} WHERE cart_id = ?`, [cartId]);
          break;
        default: {
          const unknown: never = edit;
          throw new Error(`unknown hand edit ${String(unknown)}`);
        }
      }
    }
  });
}

/**
 * The same edits on the event-sourced design's state table, the cart_summaries read model: the
 * journal refuses UPDATE and DELETE, so this is the only state an operator can edit there.
 */
export async function editCartSummaries(journal: EsDriver, edits: readonly PlannedEdit[]): Promise<void> {
  const { cartSummaries } = journalSchema(journal.names.journalSchema);
  await withTransaction(journal.pool, async (client) => {
    for (const { cartId, edit, sku } of edits) {
      switch (edit) {
        case "inflate-quantity":
          await client.query(
            `UPDATE ${cartSummaries} SET view = jsonb_set(view, '{items}', (
               SELECT jsonb_agg(jsonb_set(item, '{quantity}', to_jsonb((item->>'quantity')::int + 5)) ORDER BY position)
               FROM jsonb_array_elements(view->'items') WITH ORDINALITY AS line(item, position)))
             WHERE cart_id = $1`,
            [cartId],
          );
          break;
        case "hand-discount":
          await client.query(
            `UPDATE ${cartSummaries}
             SET view = jsonb_set(view, '{discounts}', (view->'discounts') || jsonb_build_array(jsonb_build_object(
               'discountId', $2::text, 'sku', $3::text, 'minQuantity', 1, 'amountCents', -500)))
             WHERE cart_id = $1`,
            [cartId, HAND_DISCOUNT_ID, sku],
          );
          break;
        case "delete-cart":
          await client.query(`DELETE FROM ${cartSummaries} WHERE cart_id = $1`, [cartId]);
          break;
        default: {
          const unknown: never = edit;
          throw new Error(`unknown hand edit ${String(unknown)}`);
        }
      }
    }
  });
}
