import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CartCommand, CommandMetadata } from "../../../services/cart/index.ts";
import { centsPriceColumns, decimalPriceColumns, dualWritePriceColumns } from "../../../services/crud-cdc/crud/crud-cart-rows.ts";
import type { CrudPriceColumns } from "../../../services/crud-cdc/crud/crud-cart-rows.ts";
import { createCrudCartHandler } from "../../../services/crud-cdc/crud/crud-command-handler.ts";
import {
  backfillUnitPrice,
  contractUnitPriceCents,
  expandUnitPrice,
  renameAndRetypeUnitPrice,
  requireUnitPrice,
} from "../../../services/crud-cdc/crud/migrate-unit-price.ts";
import { readCrudCart } from "../../../services/crud-cdc/crud/read-crud-state.ts";
import { createCrudFixture } from "./crud-fixture.ts";
import type { CrudFixture } from "./crud-fixture.ts";

const intent: CommandMetadata = { actor: "alice", reason: null, correlationId: "price", decidedAt: "2024-05-01T10:00:00.000Z" };
const add = (cartId: string, sku: string, unitPriceCents: number, quantity = 1): CartCommand => ({ type: "AddItem", cartId, sku, name: sku, unitPriceCents, quantity });

function release(fx: CrudFixture, prices?: CrudPriceColumns) {
  const handler = createCrudCartHandler({ knex: fx.knex, schema: fx.schema, mode: "locked", intent: "off", ...(prices === undefined ? {} : { prices }) });
  return { handle: (command: CartCommand) => handler.handle(command, intent), view: (cartId: string) => readCrudCart(fx.knex, fx.schema, cartId, { prices }) };
}

async function itemRows(fx: CrudFixture): Promise<Record<string, unknown>[]> {
  const result = await fx.knex.raw<{ rows: { row: Record<string, unknown> }[] }>(`SELECT to_jsonb(t) - 'cart_id' - 'name' AS row FROM "${fx.schema}".cart_items t ORDER BY cart_id, sku`);
  return result.rows.map((row) => row.row);
}

describe("moving the price column by expand and contract while the application runs", () => {
  let fx: CrudFixture;
  beforeAll(async () => {
    fx = await createCrudFixture("crud_price");
  });
  afterAll(async () => {
    await fx?.close();
  });

  it("keeps every release working at each step, and ends with the decimal column alone", async () => {
    const today = release(fx);
    expect(await today.handle(add("p1", "kiwi", 75, 2))).toEqual({ ok: true });
    await expandUnitPrice(fx.knex, fx.schema);
    // The old release, still running, leaves the new column empty.
    expect(await today.handle(add("p1", "pear", 120))).toEqual({ ok: true });
    const dual = release(fx, dualWritePriceColumns);
    expect(await dual.handle(add("p2", "mango", 205))).toEqual({ ok: true });
    expect(await dual.handle({ type: "CorrectPrice", cartId: "p1", sku: "pear", unitPriceCents: 119 })).toEqual({ ok: true });
    expect(await itemRows(fx)).toEqual([
      { sku: "kiwi", quantity: 2, unit_price_cents: 75, unit_price: null },
      { sku: "pear", quantity: 1, unit_price_cents: 119, unit_price: 1.19 },
      { sku: "mango", quantity: 1, unit_price_cents: 205, unit_price: 2.05 },
    ]);
    expect(await backfillUnitPrice(fx.knex, fx.schema, { batchSize: 1 })).toBe(1);
    expect(await backfillUnitPrice(fx.knex, fx.schema, { batchSize: 1 })).toBe(0);
    await requireUnitPrice(fx.knex, fx.schema);
    const decimal = release(fx, decimalPriceColumns);
    expect(await decimal.handle(add("p2", "kiwi", 75))).toEqual({ ok: true });
    await contractUnitPriceCents(fx.knex, fx.schema);
    expect(await decimal.handle(add("p1", "kiwi", 75, 3))).toEqual({ ok: true });
    // The rules still compare prices in cents: the decimal column read back keeps them exact.
    expect(await decimal.handle(add("p1", "kiwi", 76))).toMatchObject({ ok: false, error: { code: "PriceMismatch" } });
    expect(await decimal.view("p1")).toMatchObject({
      items: [
        { sku: "kiwi", unitPriceCents: 75, quantity: 5 },
        { sku: "pear", unitPriceCents: 119, quantity: 1 },
      ],
      subtotalCents: 494,
    });
    expect(await itemRows(fx)).toEqual([
      { sku: "kiwi", quantity: 5, unit_price: 0.75 },
      { sku: "pear", quantity: 1, unit_price: 1.19 },
      { sku: "kiwi", quantity: 1, unit_price: 0.75 },
      { sku: "mango", quantity: 1, unit_price: 2.05 },
    ]);
  });
});

describe("renaming and retyping the price column in one step while the old release runs", () => {
  let fx: CrudFixture;
  beforeAll(async () => {
    fx = await createCrudFixture("crud_price_naive");
  });
  afterAll(async () => {
    await fx?.close();
  });

  it("fails every write of the old release as a typed error that writes nothing, and the new release reads the converted rows", async () => {
    const old = release(fx, centsPriceColumns);
    expect(await old.handle(add("n1", "kiwi", 75, 2))).toEqual({ ok: true });
    await renameAndRetypeUnitPrice(fx.knex, fx.schema);
    const before = await fx.tableContents();
    await expect(old.handle(add("n1", "kiwi", 75))).rejects.toMatchObject({ code: "ComponentFailed", details: { sqlState: "42703", priceColumns: "unit_price_cents" } });
    await expect(old.handle({ type: "RemoveItem", cartId: "n1", sku: "kiwi" })).rejects.toMatchObject({ code: "ComponentFailed" });
    expect(await fx.tableContents()).toEqual(before);
    const fresh = release(fx, decimalPriceColumns);
    expect(await fresh.view("n1")).toMatchObject({ items: [{ sku: "kiwi", unitPriceCents: 75, quantity: 2 }] });
    expect(await fresh.handle(add("n1", "kiwi", 75))).toEqual({ ok: true });
    expect(await fresh.view("n1")).toMatchObject({ items: [{ sku: "kiwi", unitPriceCents: 75, quantity: 3 }] });
  });
});
