import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CartCommand, CommandMetadata } from "../../../services/cart/index.ts";
import { createCrudCartHandler } from "../../../services/crud-cdc/crud/crud-command-handler.ts";
import type { CrudCartHandler } from "../../../services/crud-cdc/crud/crud-command-handler.ts";
import { uniqueName } from "../support/test-lab.ts";
import { createCrudFixture } from "./crud-fixture.ts";
import type { CrudFixture } from "./crud-fixture.ts";

const COMMANDS = 1_000;
const COMMANDS_PER_CART = 10;
const WORKERS = 8;
let fx: CrudFixture;

beforeAll(async () => {
  fx = await createCrudFixture("crud_rate", { maxConnections: WORKERS + 2 });
});

afterAll(async () => {
  await fx?.close();
});

/** Per cart: eight AddItems over four skus (new lines and raised quantities) and two ApplyDiscounts. */
function cartCommands(cartId: string): CartCommand[] {
  const skus = ["apple", "banana", "cherry", "mango"];
  const adds = Array.from({ length: 8 }, (_, index): CartCommand => {
    const sku = skus[index % skus.length] ?? "apple";
    return { type: "AddItem", cartId, sku, name: sku, unitPriceCents: 100 + (index % skus.length), quantity: 1 };
  });
  const discounts = ["apple", "banana"].map(
    (sku): CartCommand => ({ type: "ApplyDiscount", cartId, discountId: `d-${sku}`, sku, minQuantity: 2, amountCents: -10 }),
  );
  return [...adds.slice(0, 4), ...discounts, ...adds.slice(4)];
}

function metadata(): CommandMetadata {
  return { actor: "bench", reason: null, correlationId: "bench", decidedAt: new Date().toISOString() };
}

/** Runs COMMANDS commands over COMMANDS / COMMANDS_PER_CART fresh carts, `workers` carts at a time. */
async function measure(handler: CrudCartHandler, workers: number): Promise<number> {
  const carts = Array.from({ length: COMMANDS / COMMANDS_PER_CART }, () => uniqueName("t"));
  const failures: unknown[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let cart = carts[next++]; cart !== undefined; cart = carts[next++]) {
        for (const command of cartCommands(cart)) {
          const result = await handler.handle(command, metadata());
          if (!result.ok) failures.push(result);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  expect(failures).toEqual([]);
  return COMMANDS / seconds;
}

describe("CRUD handler throughput (a measurement, not a limit)", () => {
  it(`runs ${COMMANDS} AddItem/ApplyDiscount commands through the locked handler`, async () => {
    const plain = createCrudCartHandler({ knex: fx.knex, schema: fx.schema, mode: "locked", intent: "off" });
    const withIntent = createCrudCartHandler({ knex: fx.knex, schema: fx.schema, mode: "locked", intent: "logical-message" });
    // A warm-up pass, so the first measurement does not also pay for connections and plan caches.
    await measure(plain, WORKERS);
    const rates = {
      "1 writer, intent off": await measure(plain, 1),
      [`${WORKERS} writers, intent off`]: await measure(plain, WORKERS),
      [`${WORKERS} writers, intent logical-message`]: await measure(withIntent, WORKERS),
    };
    for (const [label, rate] of Object.entries(rates)) {
      console.log(`crud locked handler, ${COMMANDS} commands, ${label}: ${rate.toFixed(0)} commands/s`);
    }
    const rows = await fx.knex.withSchema(fx.schema).from("cart_items").count<{ count: string }[]>({ count: "*" });
    expect(Number(rows[0]?.count)).toBe(4 * 4 * (COMMANDS / COMMANDS_PER_CART));
  });
});
