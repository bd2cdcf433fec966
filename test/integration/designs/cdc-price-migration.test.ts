import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCdcHistory, cdcStateAsOf } from "../../../services/crud-cdc/cdc-history.ts";
import { cdcTopics } from "../../../services/crud-cdc/cdc-variant.ts";
import type { RowChangeEvent } from "../../../services/crud-cdc/change-event.ts";
import { decimalPriceColumns, decodeCartLineAs, dualWritePriceColumns } from "../../../services/crud-cdc/crud/crud-cart-rows.ts";
import { createCrudCartHandler } from "../../../services/crud-cdc/crud/crud-command-handler.ts";
import { backfillUnitPrice, contractUnitPriceCents, expandUnitPrice, requireUnitPrice } from "../../../services/crud-cdc/crud/migrate-unit-price.ts";
import { readCrudCart } from "../../../services/crud-cdc/crud/read-crud-state.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { openTestDesigns } from "./designs-fixture.ts";

/** What Debezium puts on the topics while cart_items moves from unit_price_cents to unit_price, and how the CDC history reads it. */
let lab: Awaited<ReturnType<typeof openTestDesigns>>;
const metadata = { actor: "alice" };
const cartIds = ["mig-1", "mig-2"];

async function topicsAfter(count: number): Promise<RowChangeEvent[]> {
  return waitFor(
    async () => {
      const events = (await lab.designs.changeFeed.readToEnd(cdcTopics(lab.variant).all)).filter((event): event is RowChangeEvent => event.kind === "row" && event.source.table === "cart_items");
      return events.length >= count ? events : undefined;
    },
    { what: `${count} cart_items change events`, timeoutMs: 60_000, intervalMs: 250 },
  );
}

beforeAll(async () => {
  lab = await openTestDesigns({ replicaIdentity: "full", intent: false });
  const { knex } = lab.designs;
  const schema = lab.variant.schema;
  const dual = createCrudCartHandler({ knex, schema, mode: "locked", intent: "off", prices: dualWritePriceColumns });
  const decimal = createCrudCartHandler({ knex, schema, mode: "locked", intent: "off", prices: decimalPriceColumns });
  expect(await lab.designs.applyRaw("crud", { type: "AddItem", cartId: "mig-1", sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 2 }, metadata)).toEqual({ ok: true });
  await topicsAfter(1);
  await expandUnitPrice(knex, schema);
  expect(await dual.applyRaw({ type: "AddItem", cartId: "mig-2", sku: "pear", name: "Pear", unitPriceCents: 119, quantity: 1 }, metadata)).toEqual({ ok: true });
  expect(await backfillUnitPrice(knex, schema, { batchSize: 10 })).toBe(1);
  // Debezium must have streamed the rows of the expanded layout before the next DDL (see requireUnitPrice).
  await topicsAfter(3);
  await requireUnitPrice(knex, schema);
  await contractUnitPriceCents(knex, schema);
  expect(await decimal.applyRaw({ type: "AddItem", cartId: "mig-1", sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 1 }, metadata)).toEqual({ ok: true });
  expect(await decimal.applyRaw({ type: "CorrectPrice", cartId: "mig-2", sku: "pear", unitPriceCents: 105 }, metadata)).toEqual({ ok: true });
}, 120_000);

afterAll(async () => {
  await lab?.dispose();
});

describe("the CDC history across the price migration", () => {
  it("keeps each record in the columns its row had, the decimal as Debezium's string, and no DDL", async () => {
    const events = await topicsAfter(5);
    expect(events.map((event) => [event.op, event.after === null ? null : Object.keys(event.after).filter((column) => column.startsWith("unit_price")).sort()])).toEqual([
      ["c", ["unit_price_cents"]],
      ["c", ["unit_price", "unit_price_cents"]],
      ["u", ["unit_price", "unit_price_cents"]],
      ["u", ["unit_price"]],
      ["u", ["unit_price"]],
    ]);
    expect(events.map((event) => event.after?.["unit_price"] ?? null)).toEqual([null, "1.19", "0.75", "0.75", "1.05"]);
    // The backfill's update is a change event like the application's, its before-image (REPLICA IDENTITY FULL) still without the price.
    expect(events[2]?.before).toMatchObject({ sku: "kiwi", unit_price_cents: 75, unit_price: null });
  });

  it("replays both layouts to the tables' state with the current code, and not with a reader of one layout", async () => {
    const history = buildCdcHistory(await lab.designs.changeFeed.readToEnd(cdcTopics(lab.variant).all));
    for (const cartId of cartIds) {
      const tables = await readCrudCart(lab.designs.knex, lab.variant.schema, cartId, { prices: decimalPriceColumns });
      expect(cdcStateAsOf(history.get(cartId) ?? [], null), cartId).toEqual(tables);
    }
    expect(cdcStateAsOf(history.get("mig-1") ?? [], null)?.items).toEqual([{ sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 3 }]);
    expect(() => cdcStateAsOf(history.get("mig-2") ?? [], null, (raw) => decodeCartLineAs("cents", raw))).toThrow(expect.objectContaining({ code: "DecodeFailed" }));
    const firstTransaction = (history.get("mig-1") ?? []).slice(0, 1);
    expect(() => cdcStateAsOf(firstTransaction, null, (raw) => decodeCartLineAs("decimal", raw))).toThrow(expect.objectContaining({ code: "DecodeFailed" }));
  });
});
