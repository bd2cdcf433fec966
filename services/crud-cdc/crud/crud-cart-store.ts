import type { Knex } from "knex";
import { evolve } from "../../cart/index.ts";
import type { CartEvent, CartState } from "../../cart/index.ts";
import { cartCheckedOutOutboxRecord } from "./cart-outbox.ts";
import {
  centsPriceColumns,
  cartCustomerColumns,
  cartCustomerRecord,
  cartDiscountRecord,
  cartItemRecord,
  cartStateFromRows,
  decodeCartDiscount,
  decodeCartLine,
  decodeCartRow,
  priceColumnValues,
} from "./crud-cart-rows.ts";
import type { CrudPriceColumns } from "./crud-cart-rows.ts";
import { crudTableNames } from "./crud-tables.ts";

/**
 * A cart as one transaction found it. `cartRow` says whether its `carts` row exists, and
 * whether this transaction is the one that just inserted it (so the state is still "empty").
 */
export interface LoadedCrudCart {
  state: CartState;
  cartRow: "absent" | "existing" | "inserted";
}

export interface ApplyCrudCartEventsContext {
  /** The command's decidedAt: row timestamps and the checkout time come from it, not the database clock. */
  at: string;
  /** Ids for outbox rows; a uuid. */
  newEventId: () => string;
  /** The price column(s) the running release writes; cents only when absent. */
  prices?: CrudPriceColumns;
}

/**
 * Loads one cart's rows into the rules' state. With `lock`, the carts row is locked FOR UPDATE
 * first and the lines and discounts are read by later statements: under READ COMMITTED each
 * statement sees what committed before it started, so lines read in the locking statement
 * itself could predate the writer we just waited for, and its update would be lost.
 */
export async function loadCrudCart(
  db: Knex,
  schema: string,
  cartId: string,
  options: { lock: boolean; prices?: CrudPriceColumns },
): Promise<LoadedCrudCart> {
  const query = db
    .withSchema(schema)
    .from(crudTableNames.carts)
    .select("cart_id", "status", "total_cents", ...cartCustomerColumns)
    .where({ cart_id: cartId })
    .first();
  const raw: unknown = await (options.lock ? query.forUpdate() : query);
  if (raw === undefined) return { state: { status: "empty" }, cartRow: "absent" };
  const cart = decodeCartRow(raw);
  const lineRows: unknown[] = await db
    .withSchema(schema)
    .from(crudTableNames.cartItems)
    .select("sku", "name", (options.prices ?? centsPriceColumns).read, "quantity")
    .where({ cart_id: cartId });
  const discountRows: unknown[] = await db
    .withSchema(schema)
    .from(crudTableNames.cartDiscounts)
    .select("discount_id", "sku", "min_quantity", "amount_cents")
    .where({ cart_id: cartId });
  return {
    state: cartStateFromRows(cart, lineRows.map(decodeCartLine), discountRows.map(decodeCartDiscount)),
    cartRow: "existing",
  };
}

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

/**
 * Writes a command's events as row changes, the way a CRUD application saves an entity: new
 * values are computed from the state `loaded` holds and written as absolute values. Under the
 * handler's row lock that state is current; without it (naive mode) a concurrent writer's change
 * is overwritten, which is the lost update the lab sets out to show.
 */
export async function applyCrudCartEvents(
  db: Knex,
  schema: string,
  loaded: LoadedCrudCart,
  events: readonly CartEvent[],
  context: ApplyCrudCartEventsContext,
): Promise<void> {
  let state = loaded.state;
  let cartRow = loaded.cartRow;
  let cartRowWritten = loaded.cartRow === "inserted";
  const table = (name: string) => db.withSchema(schema).table(name);
  const prices = context.prices ?? centsPriceColumns;

  for (const event of events) {
    switch (event.type) {
      case "ItemAdded": {
        if (cartRow === "absent") {
          await insertCrudCartIfAbsent(db, schema, event.cartId, context.at);
          cartRow = "inserted";
          cartRowWritten = true;
        }
        const existing = state.status === "empty" ? undefined : state.items.find((line) => line.sku === event.sku);
        if (existing !== undefined) {
          await table(crudTableNames.cartItems)
            .update({ quantity: existing.quantity + event.quantity })
            .where({ cart_id: event.cartId, sku: event.sku });
        } else {
          // A conflict happens only without the lock (naive mode): another writer inserted the
          // line since we read; the save overwrites its quantity, as an ORM's upsert would.
          await table(crudTableNames.cartItems)
            .insert(cartItemRecord(event.cartId, event, prices))
            .onConflict(["cart_id", "sku"])
            .merge(["quantity"]);
        }
        break;
      }
      case "ItemRemoved":
        await table(crudTableNames.cartItems).where({ cart_id: event.cartId, sku: event.sku }).delete();
        break;
      case "DiscountApplied":
        await table(crudTableNames.cartDiscounts).insert(cartDiscountRecord(event.cartId, event));
        break;
      case "DiscountRevoked":
        await table(crudTableNames.cartDiscounts).where({ cart_id: event.cartId, discount_id: event.discountId }).delete();
        break;
      case "PriceCorrected":
        await table(crudTableNames.cartItems)
          .update(priceColumnValues(event.unitPriceCents, prices))
          .where({ cart_id: event.cartId, sku: event.sku });
        break;
      case "CheckedOut": {
        await table(crudTableNames.carts)
          .update({ status: "checked_out", total_cents: event.totalCents, updated_at: context.at })
          .where({ cart_id: event.cartId });
        cartRowWritten = true;
        const record = cartCheckedOutOutboxRecord(event, context.newEventId(), context.at);
        // Stringified here: node-postgres would turn a JS array into a PostgreSQL array, and the
        // payload must reach jsonb as JSON whatever its top-level shape.
        await table(crudTableNames.outbox).insert({ ...record, payload: JSON.stringify(record.payload), created_at: context.at });
        break;
      }
      case "CustomerAttached":
        await table(crudTableNames.carts)
          .update({ ...cartCustomerRecord(event.customer), updated_at: context.at })
          .where({ cart_id: event.cartId });
        cartRowWritten = true;
        break;
      default: {
        const unexpected: never = event;
        throw new Error(`Unexpected cart event: ${JSON.stringify(unexpected)}`);
      }
    }
    state = evolve(state, event);
  }

  const cartId = events[0]?.cartId;
  if (!cartRowWritten && cartId !== undefined) {
    // The cart row is the aggregate root: its updated_at says when the cart last changed, as a
    // CRUD schema would keep it (and it gives plain CDC one row change per command to time).
    await table(crudTableNames.carts).update({ updated_at: context.at }).where({ cart_id: cartId });
  }
}
