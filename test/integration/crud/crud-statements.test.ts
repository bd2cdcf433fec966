import { addItem, newCartId, testMetadata } from "../../support/cart-commands.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CartCommand } from "../../../services/cart/index.ts";
import { createCrudCartHandler } from "../../../services/crud-cdc/crud/crud-command-handler.ts";
import { dualWritePriceColumns } from "../../../services/crud-cdc/crud/crud-cart-rows.ts";
import { readCrudCart } from "../../../services/crud-cdc/crud/read-crud-state.ts";
import { expandUnitPrice } from "../../../services/crud-cdc/crud/migrate-unit-price.ts";
import { writeCrudRowChanges } from "../../../services/crud-cdc/crud/write-crud-row-changes.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { withPostgres } from "../support/stack.ts";
import { createCrudFixture, openDecodingSlot } from "./crud-fixture.ts";
import type { CrudFixture } from "./crud-fixture.ts";

let fx: CrudFixture;

beforeAll(async () => {
  fx = await createCrudFixture("crud_statements", { replicaIdentity: "full" });
});

afterAll(async () => {
  await fx?.close();
});

/** The statements one call sends, BEGIN and COMMIT included: each one is a round trip. */
async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const listener = (query: { sql: string }) => sent.push(query.sql.replace(/\s+/g, " ").slice(0, 40));
  fx.knex.on("query", listener);
  try {
    await work();
  } finally {
    fx.knex.off("query", listener);
  }
  return sent;
}

describe("the CRUD handler's statements", () => {
  it("loads the cart in one statement and writes each table it changes with one statement", async () => {
    const handler = createCrudCartHandler({ knex: fx.knex, schema: fx.schema, mode: "locked", intent: "off" });
    const cartId = newCartId();
    const send = (command: CartCommand) => statementsOf(async () => expect(await handler.handle(command, testMetadata())).toEqual({ ok: true }));
    // BEGIN, load (not there), insert the carts row to lock on, insert the line, COMMIT.
    expect(await send(addItem(cartId, "banana", 100))).toHaveLength(5);
    // BEGIN, load, the line, the carts row, COMMIT.
    expect(await send(addItem(cartId, "banana", 100))).toHaveLength(5);
    expect(await send(addItem(cartId, "apple", 150))).toHaveLength(5);
    expect(await send({ type: "RemoveItem", cartId, sku: "apple" })).toHaveLength(5);
    expect(await send({ type: "CheckOut", cartId })).toHaveLength(5);
    // A rejection: BEGIN, load, ROLLBACK.
    const rejected = await statementsOf(() => handler.handle({ type: "RemoveItem", cartId, sku: "apple" }, testMetadata()));
    expect(rejected).toHaveLength(3);
    // A read is one statement, no transaction around it.
    expect(await statementsOf(() => readCrudCart(fx.knex, fx.schema, cartId))).toHaveLength(1);
  });

  it("writes the same kinds of row change per command as a save per event would: an UPDATE stays an UPDATE", async () => {
    const handler = createCrudCartHandler({ knex: fx.knex, schema: fx.schema, mode: "locked", intent: "logical-message" });
    const cartId = newCartId();
    const commands: CartCommand[] = [
      addItem(cartId, "banana", 100),
      addItem(cartId, "banana", 100),
      addItem(cartId, "apple", 150),
      { type: "ApplyDiscount", cartId, discountId: "d1", sku: "banana", minQuantity: 2, amountCents: -10 },
      { type: "RevokeDiscount", cartId, discountId: "d1" },
      { type: "CorrectPrice", cartId, sku: "apple", unitPriceCents: 150 },
      { type: "RemoveItem", cartId, sku: "apple" },
      { type: "AttachCustomer", cartId, customerId: "u1", email: "a@example.com", name: "A", shippingAddress: "Street 1" },
      { type: "CheckOut", cartId },
    ];
    const decoded = await withPostgres(async (client) => {
      const slot = await openDecodingSlot(client);
      try {
        for (const command of commands) expect(await handler.handle(command, testMetadata())).toEqual({ ok: true });
        return await slot.changes();
      } finally {
        await slot.drop();
      }
    });
    const changes = decoded
      .filter((transaction) => transaction.lines.some((line) => line.startsWith(`table ${fx.schema}.`)))
      .map((transaction) =>
        transaction.lines.flatMap((line) => {
          if (line.startsWith("message:")) return ["message"];
          const match = new RegExp(`^table ${fx.schema}\\.(\\w+): (\\w+):`).exec(line);
          return match ? [`${match[1]} ${match[2]}`] : [];
        }),
      );
    expect(changes).toEqual([
      // The locked handler inserts the carts row before it decides, so before the intent.
      ["carts INSERT", "message", "cart_items INSERT"],
      ["message", "cart_items UPDATE", "carts UPDATE"],
      ["message", "cart_items INSERT", "carts UPDATE"],
      ["message", "cart_discounts INSERT", "carts UPDATE"],
      ["message", "cart_discounts DELETE", "carts UPDATE"],
      ["message", "cart_items UPDATE", "carts UPDATE"],
      ["message", "cart_items DELETE", "carts UPDATE"],
      ["message", "carts UPDATE"],
      ["message", "carts UPDATE", "outbox INSERT"],
    ]);
  });

  it("reads the lines again after waiting for the lock, so the writer it waited for loses nothing", async () => {
    const handler = createCrudCartHandler({ knex: fx.knex, schema: fx.schema, mode: "locked", intent: "off" });
    const cartId = newCartId();
    expect(await handler.handle(addItem(cartId, "banana", 100), testMetadata())).toEqual({ ok: true });
    // Another writer holds the cart's lock, as a handler between its load and its commit does.
    const holder = await fx.knex.transaction();
    let command: Promise<unknown> = Promise.resolve();
    try {
      await holder.raw(`SELECT 1 FROM "${fx.schema}".carts WHERE cart_id = ? FOR UPDATE`, [cartId]);
      await holder.raw(`UPDATE "${fx.schema}".cart_items SET quantity = quantity + 5 WHERE cart_id = ?`, [cartId]);
      await holder.raw(`INSERT INTO "${fx.schema}".cart_items (cart_id, sku, name, unit_price_cents, quantity) VALUES (?, 'apple', 'Apple', 150, 1)`, [cartId]);
      await holder.raw(`UPDATE "${fx.schema}".carts SET updated_at = now() WHERE cart_id = ?`, [cartId]);
      command = handler.handle(addItem(cartId, "banana", 100), testMetadata());
      // The command's load started (its snapshot predates the holder's commit) and waits for the lock.
      await waitFor(
        async () => {
          const waiting = await fx.knex.raw<{ rows: unknown[] }>(
            "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ? AND query LIKE '%FOR UPDATE OF c%'",
            [`%"${fx.schema}"%`],
          );
          return waiting.rows.length > 0 ? true : undefined;
        },
        { what: "the command to wait for the cart's lock", timeoutMs: 10_000, intervalMs: 20 },
      );
      await holder.commit();
    } catch (error) {
      await holder.rollback();
      throw error;
    }
    expect(await command).toEqual({ ok: true });
    expect((await readCrudCart(fx.knex, fx.schema, cartId))?.items).toEqual([
      { sku: "apple", name: "Apple", unitPriceCents: 150, quantity: 1 },
      { sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 7 },
    ]);
  });

  it("writes several rows of a table in one statement per kind of change, in every price layout", async () => {
    const handler = createCrudCartHandler({ knex: fx.knex, schema: fx.schema, mode: "locked", intent: "off" });
    const cartId = newCartId();
    for (const sku of ["apple", "banana", "cherry", "mango", "plum"]) expect(await handler.handle(addItem(cartId, sku, 100), testMetadata())).toEqual({ ok: true });
    await expandUnitPrice(fx.knex, fx.schema);
    const at = "2025-03-01T10:00:00.000Z";
    const statements = await statementsOf(() =>
      fx.knex.transaction((trx) =>
        writeCrudRowChanges(trx, fx.schema, {
          cartId,
          carts: { insertIfAbsent: null, update: { updated_at: at } },
          cartItems: {
            deletes: ["apple", "banana"],
            updates: [
              { sku: "cherry", set: { quantity: 4 } },
              { sku: "mango", set: { quantity: 2 } },
              { sku: "plum", set: { unit_price_cents: 90, unit_price: "0.90" } },
            ],
            inserts: [
              { cart_id: cartId, sku: "kiwi", name: "Kiwi", unit_price_cents: 75, unit_price: "0.75", quantity: 1 },
              { cart_id: cartId, sku: "pear", name: "Pear", unit_price_cents: 120, unit_price: "1.20", quantity: 3 },
            ],
          },
          cartDiscounts: { deletes: [], inserts: [] },
          outbox: { inserts: [] },
        }),
      ),
    );
    // BEGIN, the deletes, the quantities, the prices, the inserts, the carts row, COMMIT.
    expect(statements).toHaveLength(7);
    expect((await readCrudCart(fx.knex, fx.schema, cartId, { prices: dualWritePriceColumns }))?.items).toEqual([
      { sku: "cherry", name: "Cherry", unitPriceCents: 100, quantity: 4 },
      { sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 1 },
      { sku: "mango", name: "Mango", unitPriceCents: 100, quantity: 2 },
      { sku: "pear", name: "Pear", unitPriceCents: 120, quantity: 3 },
      { sku: "plum", name: "Plum", unitPriceCents: 90, quantity: 1 },
    ]);
  });
});
