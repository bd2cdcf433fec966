import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cdcTopics } from "../../../services/crud-cdc/cdc-variant.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { withPostgres } from "../support/stack.ts";
import { openTestDesigns } from "./designs-fixture.ts";

/**
 * Bad input changes nothing, in either design: no row, no outbox entry, no event and no Kafka
 * message. Counted before and after; a valid marker command afterwards proves the feed had time
 * to deliver anything the rejected commands might have written.
 */
let lab: Awaited<ReturnType<typeof openTestDesigns>>;
beforeAll(async () => {
  lab = await openTestDesigns();
  const setup = [
    { type: "AddItem", cartId: "r1", sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 1 },
    { type: "ApplyDiscount", cartId: "r1", discountId: "d1", sku: "banana", minQuantity: 1, amountCents: -5 },
    { type: "AddItem", cartId: "done", sku: "pear", name: "Pear", unitPriceCents: 120, quantity: 1 },
    { type: "CheckOut", cartId: "done" },
    { type: "AddItem", cartId: "emptied", sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 1 },
    { type: "RemoveItem", cartId: "emptied", sku: "kiwi" },
  ];
  for (const design of ["crud", "es"] as const) for (const command of setup) expect(await lab.designs.applyRaw(design, command, { actor: "setup" })).toEqual({ ok: true });
});
afterAll(async () => {
  await lab?.dispose();
});

const rejected: { command: Record<string, unknown>; code: string }[] = [
  { command: { type: "AddItem", cartId: "r1", sku: "banana", name: "Banana", unitPriceCents: 101, quantity: 1 }, code: "PriceMismatch" },
  { command: { type: "AddItem", cartId: "r1", sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 10_000 }, code: "QuantityLimit" },
  { command: { type: "RemoveItem", cartId: "r1", sku: "mango" }, code: "ItemNotInCart" },
  { command: { type: "RemoveItem", cartId: "nobody", sku: "mango" }, code: "CartNotFound" },
  { command: { type: "ApplyDiscount", cartId: "r1", discountId: "d1", sku: "banana", minQuantity: 2, amountCents: -5 }, code: "DiscountConflict" },
  { command: { type: "RevokeDiscount", cartId: "r1", discountId: "d9" }, code: "DiscountNotFound" },
  { command: { type: "CorrectPrice", cartId: "r1", sku: "mango", unitPriceCents: 10 }, code: "ItemNotInCart" },
  { command: { type: "CheckOut", cartId: "emptied" }, code: "EmptyCart" },
  { command: { type: "AddItem", cartId: "done", sku: "pear", name: "Pear", unitPriceCents: 120, quantity: 1 }, code: "CartCheckedOut" },
  { command: { type: "AddItem", cartId: "r1", sku: "bad sku", name: " ", unitPriceCents: -1, quantity: 0 }, code: "ValidationFailed" },
  { command: { type: "AddItem", cartId: "r1", sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 1, coupon: "x" }, code: "ValidationFailed" },
  { command: { type: "Teleport", cartId: "r1" }, code: "UnknownCommand" },
  // Text PostgreSQL cannot store: both designs refuse it at the edge, alike (issue 10 found them disagreeing).
  { command: { type: "AddItem", cartId: "r1", sku: "kiwi", name: "Ki\u0000wi", unitPriceCents: 75, quantity: 1 }, code: "ValidationFailed" },
  { command: { type: "AddItem", cartId: "r1", sku: "kiwi", name: "Kiwi \ud800", unitPriceCents: 75, quantity: 1 }, code: "ValidationFailed" },
  { command: { type: "AttachCustomer", cartId: "r1", customerId: "c1", email: "a@b.example", name: "A\u0000", shippingAddress: "Street 1" }, code: "ValidationFailed" },
  // A new cart whose first command is rejected must not leave its carts row behind.
  { command: { type: "AddItem", cartId: "fresh", sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 10_001 }, code: "ValidationFailed" },
];

async function counts() {
  const rows = await withPostgres(async (client) => {
    const count = async (table: string) => Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);
    const schema = lab.variant.schema;
    return {
      carts: await count(`${schema}.carts`),
      items: await count(`${schema}.cart_items`),
      discounts: await count(`${schema}.cart_discounts`),
      outbox: await count(`${schema}.outbox`),
      events: await count(`${lab.variant.name}_journal.events`),
    };
  });
  const messages = (await lab.designs.changeFeed.readToEnd(cdcTopics(lab.variant).all)).length;
  return { ...rows, messages };
}

describe("a rejected command", () => {
  it("writes nothing in either design: no rows, no outbox, no events, no Kafka messages", async () => {
    // Let everything the setup wrote reach Kafka first.
    const settled = await waitFor(
      async () => {
        const history = await lab.designs.cdcHistory();
        return (history.get("emptied")?.length ?? 0) === 2 ? true : undefined;
      },
      { what: "the setup's changes on the topics", timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(settled).toBe(true);
    const before = await counts();

    for (const design of ["crud", "es"] as const) {
      for (const { command, code } of rejected) {
        const result = await lab.designs.applyRaw(design, command, { actor: "mallory" });
        expect(result.ok ? "ok" : result.error.code, `${design} ${JSON.stringify(command)}`).toBe(code);
      }
      // Bad metadata is refused too.
      expect(await lab.designs.applyRaw(design, { type: "CheckOut", cartId: "r1" }, { reason: "no actor" })).toMatchObject({ ok: false, error: { code: "ValidationFailed" } });
      for (const metadata of [{ actor: "mallory", reason: "why\u0000" }, { actor: "mal\udc00lory" }]) {
        expect(await lab.designs.applyRaw(design, { type: "CheckOut", cartId: "r1" }, metadata)).toMatchObject({ ok: false, error: { code: "ValidationFailed", message: expect.stringContaining("must not contain NUL characters or unpaired surrogates") } });
      }
    }

    // A marker after the rejections: once its changes arrive, anything written before would have.
    for (const design of ["crud", "es"] as const) {
      expect(await lab.designs.applyRaw(design, { type: "AddItem", cartId: "marker", sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 1 }, { actor: "test" })).toEqual({ ok: true });
    }
    await waitFor(async () => ((await lab.designs.cdcHistory()).has("marker") ? true : undefined), { what: "the marker on the topics", timeoutMs: 60_000, intervalMs: 500 });
    const after = await counts();

    // The marker alone: one cart, one line, one event; on Kafka its carts and cart_items changes and its intent message.
    expect(after).toEqual({ ...before, carts: before.carts + 1, items: before.items + 1, events: before.events + 1, messages: before.messages + 3 });
  });
});
