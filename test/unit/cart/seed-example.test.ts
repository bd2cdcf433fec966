import { describe, expect, it } from "vitest";
import { seedView } from "../../support/cart-commands.ts";
import { decide, fold, initialCartState, parseCommand, toCartView } from "../../../services/cart/index.ts";
import type { CartEvent, CartState } from "../../../services/cart/index.ts";

// The brief's seed, as the raw JSON lines `apply` would read: both designs must reproduce it.
const seedLines = [
  { type: "AddItem", cartId: "101", sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 1 },
  { type: "AddItem", cartId: "101", sku: "apple", name: "Apple", unitPriceCents: 150, quantity: 1 },
  { type: "AddItem", cartId: "101", sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 1 },
  { type: "RemoveItem", cartId: "101", sku: "apple" },
  { type: "ApplyDiscount", cartId: "101", discountId: "banana-2", sku: "banana", minQuantity: 2, amountCents: -10 },
  { type: "AddItem", cartId: "101", sku: "mango", name: "Mango", unitPriceCents: 200, quantity: 1 },
  { type: "CheckOut", cartId: "101" },
];

function runSeed(): { events: CartEvent[]; state: CartState } {
  let state = initialCartState();
  const events: CartEvent[] = [];
  for (const input of seedLines) {
    const parsed = parseCommand(input);
    if (!parsed.ok) throw new Error(`seed line rejected: ${parsed.rejection.message}`);
    const result = decide(parsed.command, state);
    if (!result.ok) throw new Error(`seed command rejected: ${result.rejection.message}`);
    events.push(...result.events);
    state = fold(result.events, state);
  }
  return { events, state };
}

describe("the seed example (cart 101)", () => {
  it("writes one event per command, in order", () => {
    expect(runSeed().events.map((event) => event.type)).toEqual([
      "ItemAdded",
      "ItemAdded",
      "ItemAdded",
      "ItemRemoved",
      "DiscountApplied",
      "ItemAdded",
      "CheckedOut",
    ]);
  });

  it("checks out banana x2 @100, mango x1 @200, discount -10, total 390", () => {
    expect(runSeed().events.at(-1)).toEqual({
      type: "CheckedOut",
      cartId: "101",
      items: [
        { sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 2 },
        { sku: "mango", name: "Mango", unitPriceCents: 200, quantity: 1 },
      ],
      discounts: [{ discountId: "banana-2", sku: "banana", minQuantity: 2, amountCents: -10 }],
      totalCents: 390,
    });
  });

  it("shows the checked-out cart in the state contract's JSON", () => {
    expect(JSON.stringify(toCartView(runSeed().state))).toBe(JSON.stringify(seedView("101")));
  });

  it("replays to the same state from its events alone", () => {
    const { events, state } = runSeed();
    expect(fold(events)).toEqual(state);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});
