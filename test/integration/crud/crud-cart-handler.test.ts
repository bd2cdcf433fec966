import { addItem, newCartId, seedCommands, seedView, testMetadata } from "../../support/cart-commands.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CartCommand } from "../../../services/cart/index.ts";
import { cartIntentPrefix, decodeCartIntent } from "../../../services/crud-cdc/crud/cart-intent.ts";
import { createCrudCartHandler } from "../../../services/crud-cdc/crud/crud-command-handler.ts";
import type { CrudCartHandler } from "../../../services/crud-cdc/crud/crud-command-handler.ts";
import { listCrudCartIds, readCrudCart } from "../../../services/crud-cdc/crud/read-crud-state.ts";
import { withPostgres } from "../support/stack.ts";
import { createCrudFixture, decodedMessages, openDecodingSlot } from "./crud-fixture.ts";
import type { CrudFixture, DecodedTransaction } from "./crud-fixture.ts";

let fx: CrudFixture;

beforeAll(async () => {
  fx = await createCrudFixture("crud_handler");
});

afterAll(async () => {
  await fx?.close();
});

const metadata = testMetadata;
const add = addItem;

async function accept(handler: CrudCartHandler, commands: CartCommand[]): Promise<void> {
  for (const command of commands) expect(await handler.handle(command, metadata()), JSON.stringify(command)).toEqual({ ok: true });
}

/** The decoded transactions that touched this test file's schema. */
function ours(transactions: DecodedTransaction[]): DecodedTransaction[] {
  return transactions.filter((transaction) => transaction.lines.some((line) => line.startsWith(`table ${fx.schema}.`)));
}

describe("the CRUD cart handler", () => {
  it("reproduces the seed example: rows, state JSON and one outbox row for the checkout", async () => {
    const cartId = newCartId();
    const times = Array.from({ length: 7 }, (_, index) => `2025-03-0${index + 1}T10:00:00.000Z`);
    let tick = 0;
    const handler = createCrudCartHandler({ knex: fx.knex, schema: fx.schema, mode: "locked", intent: "off", clock: () => times[tick++] ?? "" });
    // Raw JSON, as apply reads it from a file.
    const lines: unknown[] = JSON.parse(JSON.stringify(seedCommands(cartId)));
    for (const line of lines) expect(await handler.applyRaw(line, { actor: "alice" })).toEqual({ ok: true });

    const { items, discounts } = seedView(cartId);
    // Byte-identical to the contract: key order included, money as JSON numbers.
    expect(JSON.stringify(await readCrudCart(fx.knex, fx.schema, cartId))).toBe(
      JSON.stringify(seedView(cartId)),
    );
    expect(await listCrudCartIds(fx.knex, fx.schema)).toContain(cartId);

    const cart = await fx.knex.withSchema(fx.schema).from("carts").where({ cart_id: cartId }).first();
    expect(cart).toMatchObject({ status: "checked_out", total_cents: "390" });
    expect(new Date(cart.created_at).toISOString()).toBe(times[0]);
    expect(new Date(cart.updated_at).toISOString()).toBe(times[6]);

    const outbox = await fx.knex.withSchema(fx.schema).from("outbox").where({ aggregateid: cartId });
    expect(outbox).toHaveLength(1);
    const [row] = outbox;
    expect(row).toMatchObject({ aggregatetype: "cart", aggregateid: cartId, type: "CartCheckedOut" });
    expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row.payload).toEqual({ eventId: row.id, cartId, items, discounts, totalCents: 390, checkedOutAt: times[6] });
  });

  it("reads an unknown cart as null, and a cart whose lines were all removed as open and empty", async () => {
    const handler = createCrudCartHandler({ knex: fx.knex, schema: fx.schema, mode: "locked", intent: "off" });
    const cartId = newCartId();
    expect(await readCrudCart(fx.knex, fx.schema, cartId)).toBeNull();
    await accept(handler, [add(cartId, "kiwi", 50), { type: "RemoveItem", cartId, sku: "kiwi" }]);
    expect(await readCrudCart(fx.knex, fx.schema, cartId)).toEqual({
      cartId,
      status: "open",
      items: [],
      discounts: [],
      subtotalCents: 0,
      totalCents: 0,
    });
  });

  it("corrects a price and revokes a discount as row changes", async () => {
    const handler = createCrudCartHandler({ knex: fx.knex, schema: fx.schema, mode: "naive", intent: "off" });
    const cartId = newCartId();
    await accept(handler, [
      add(cartId, "banana", 100, 3),
      { type: "ApplyDiscount", cartId, discountId: "d1", sku: "banana", minQuantity: 2, amountCents: -30 },
      { type: "ApplyDiscount", cartId, discountId: "d2", sku: "banana", minQuantity: 1, amountCents: -5 },
      { type: "CorrectPrice", cartId, sku: "banana", unitPriceCents: 90 },
      { type: "RevokeDiscount", cartId, discountId: "d1" },
    ]);
    expect(await readCrudCart(fx.knex, fx.schema, cartId)).toEqual({
      cartId,
      status: "open",
      items: [{ sku: "banana", name: "Banana", unitPriceCents: 90, quantity: 3 }],
      discounts: [{ discountId: "d2", sku: "banana", minQuantity: 1, amountCents: -5 }],
      subtotalCents: 270,
      totalCents: 265,
    });
  });

  it.each(["locked", "naive"] as const)("writes nothing for any rejected command, not even an intent message (%s)", async (mode) => {
    const handler = createCrudCartHandler({ knex: fx.knex, schema: fx.schema, mode, intent: "logical-message" });
    const open = newCartId();
    const empty = newCartId();
    const done = newCartId();
    const unknown = newCartId();
    await accept(handler, [
      add(open, "banana", 100),
      { type: "ApplyDiscount", cartId: open, discountId: "d1", sku: "banana", minQuantity: 2, amountCents: -10 },
      add(empty, "kiwi", 50),
      { type: "RemoveItem", cartId: empty, sku: "kiwi" },
      add(done, "mango", 200),
      { type: "CheckOut", cartId: done },
    ]);
    const rejections: [CartCommand, string][] = [
      [{ type: "RemoveItem", cartId: unknown, sku: "banana" }, "CartNotFound"],
      // Past validation (handle trusts its input): the rules still refuse it, after the locked
      // handler has already inserted the new cart's row, which the rollback must take back.
      [add(unknown, "banana", 100, 20_000), "QuantityLimit"],
      [add(open, "banana", 120), "PriceMismatch"],
      [add(open, "banana", 100, 10_000), "QuantityLimit"],
      [{ type: "RemoveItem", cartId: open, sku: "apple" }, "ItemNotInCart"],
      [{ type: "CorrectPrice", cartId: open, sku: "apple", unitPriceCents: 10 }, "ItemNotInCart"],
      [{ type: "ApplyDiscount", cartId: open, discountId: "d1", sku: "banana", minQuantity: 3, amountCents: -10 }, "DiscountConflict"],
      [{ type: "RevokeDiscount", cartId: open, discountId: "d9" }, "DiscountNotFound"],
      [{ type: "CheckOut", cartId: empty }, "EmptyCart"],
      [add(done, "mango", 200), "CartCheckedOut"],
      [{ type: "CheckOut", cartId: done }, "CartCheckedOut"],
    ];

    const before = await fx.tableContents();
    await withPostgres(async (client) => {
      const slot = await openDecodingSlot(client);
      try {
        for (const [command, code] of rejections) {
          expect(await handler.handle(command, metadata()), `${command.type} on ${command.cartId}`).toEqual({
            ok: false,
            error: { code, message: expect.any(String) },
          });
        }
        expect(await handler.applyRaw({ type: "EmptyCart", cartId: open }, { actor: "alice" })).toMatchObject({
          ok: false,
          error: { code: "UnknownCommand" },
        });
        const invalid = await handler.applyRaw({ ...add(open, "banana", 100), quantity: 0, colour: "red" }, { actor: "alice" });
        expect(invalid).toMatchObject({ ok: false, error: { code: "ValidationFailed" } });
        expect(!invalid.ok && invalid.error.message).toMatch(/quantity.*colour/);
        expect(await handler.applyRaw(add(open, "banana", 100), { reason: "no actor" })).toMatchObject({
          ok: false,
          error: { code: "ValidationFailed", message: expect.stringContaining("metadata.actor") },
        });
        // Accepted, but it changes nothing: no rows and no intent either.
        expect(
          await handler.handle({ type: "ApplyDiscount", cartId: open, discountId: "d1", sku: "banana", minQuantity: 2, amountCents: -10 }, metadata()),
        ).toEqual({ ok: true });
        expect(await fx.tableContents()).toEqual(before);

        // A marker commits after all of them: anything they had written would be decoded before it.
        const marker = newCartId();
        await accept(handler, [add(marker, "kiwi", 50)]);
        const decoded = ours(await slot.changes());
        expect(decoded).toHaveLength(1);
        const messages = decoded.flatMap(decodedMessages);
        expect(messages).toHaveLength(1);
        expect(decodeCartIntent(messages[0]?.content ?? "")).toMatchObject({ commandType: "AddItem", cartId: marker });
      } finally {
        await slot.drop();
      }
    });
  });

  it("emits exactly one intent message per accepted command, inside the transaction of its row changes", async () => {
    const handler = createCrudCartHandler({ knex: fx.knex, schema: fx.schema, mode: "locked", intent: "logical-message" });
    const cartId = newCartId();
    const commands: CartCommand[] = [
      add(cartId, "banana", 100),
      add(cartId, "banana", 100),
      { type: "ApplyDiscount", cartId, discountId: "d1", sku: "banana", minQuantity: 2, amountCents: -10 },
      { type: "CorrectPrice", cartId, sku: "banana", unitPriceCents: 95 },
      { type: "CheckOut", cartId },
    ];
    const intents = commands.map((_, index) => metadata(index === 3 ? "operator" : "alice", index === 3 ? "supplier price error" : null));
    await withPostgres(async (client) => {
      const slot = await openDecodingSlot(client);
      try {
        for (const [index, command] of commands.entries()) {
          expect(await handler.handle(command, intents[index] ?? metadata())).toEqual({ ok: true });
        }
        const decoded = ours(await slot.changes());
        expect(decoded).toHaveLength(commands.length);
        for (const [index, transaction] of decoded.entries()) {
          expect(transaction.lines[0]).toBe(`BEGIN ${transaction.xid}`);
          expect(transaction.lines.at(-1)).toMatch(new RegExp(`^COMMIT ${transaction.xid}\\b`));
          const messages = decodedMessages(transaction);
          expect(messages).toHaveLength(1);
          expect(messages[0]).toMatchObject({ transactional: true, prefix: cartIntentPrefix });
          const intent = intents[index];
          expect(decodeCartIntent(messages[0]?.content ?? "")).toEqual({
            commandType: commands[index]?.type,
            cartId,
            actor: intent?.actor,
            reason: intent?.reason,
            correlationId: intent?.correlationId,
            decidedAt: intent?.decidedAt,
            events: [
              ["ItemAdded", "ItemAdded", "DiscountApplied", "PriceCorrected", "CheckedOut"][index],
            ],
          });
          // The rows the command changed are in the same transaction as its message.
          expect(transaction.lines.filter((line) => line.startsWith(`table ${fx.schema}.`)).length).toBeGreaterThan(0);
        }
        expect(decoded.at(-1)?.lines.some((line) => line.startsWith(`table ${fx.schema}.outbox: INSERT:`))).toBe(true);
      } finally {
        await slot.drop();
      }
    });
  });

  it("emits no message when intent is off", async () => {
    const handler = createCrudCartHandler({ knex: fx.knex, schema: fx.schema, mode: "locked", intent: "off" });
    await withPostgres(async (client) => {
      const slot = await openDecodingSlot(client);
      try {
        const cartId = newCartId();
        await accept(handler, [add(cartId, "banana", 100), { type: "CheckOut", cartId }]);
        const decoded = ours(await slot.changes());
        expect(decoded).toHaveLength(2);
        expect(decoded.flatMap(decodedMessages)).toEqual([]);
      } finally {
        await slot.drop();
      }
    });
  });

  it("generates a correlationId for a raw command without one and uses the clock for its time", async () => {
    const handler = createCrudCartHandler({
      knex: fx.knex,
      schema: fx.schema,
      mode: "locked",
      intent: "logical-message",
      clock: () => "2025-06-01T12:00:00.000Z",
    });
    await withPostgres(async (client) => {
      const slot = await openDecodingSlot(client);
      try {
        const cartId = newCartId();
        expect(await handler.applyRaw(add(cartId, "banana", 100), { actor: "bob", reason: "restock", correlationId: null })).toEqual({ ok: true });
        const [message] = ours(await slot.changes()).flatMap(decodedMessages);
        const intent = decodeCartIntent(message?.content ?? "");
        expect(intent).toMatchObject({ actor: "bob", reason: "restock", decidedAt: "2025-06-01T12:00:00.000Z" });
        expect(intent.correlationId).toMatch(/^[0-9a-f-]{36}$/);
      } finally {
        await slot.drop();
      }
    });
  });

  it("throws a ComponentFailed LabError naming the cart when the database fails, not a rejection", async () => {
    const handler = createCrudCartHandler({ knex: fx.knex, schema: `${fx.schema}_missing`, mode: "locked", intent: "off" });
    const cartId = newCartId();
    await expect(handler.handle(add(cartId, "banana", 100), metadata())).rejects.toMatchObject({
      name: "LabError",
      code: "ComponentFailed",
      retriable: false,
      details: { cartId, commandType: "AddItem", sqlState: "42P01" },
    });
  });
});
