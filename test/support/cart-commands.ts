import { randomUUID } from "node:crypto";
import type { CartCommand, CartView, CommandMetadata } from "../../services/cart/index.ts";

/**
 * Commands and metadata the tests of every tier build, and the brief's seed cart: banana x2
 * @100, mango x1 @200, discount -10, total 390. One copy, so the contract every design must
 * meet is written down once.
 */
export function newCartId(prefix = "c"): string {
  return `${prefix}${randomUUID().slice(0, 8)}`;
}

export function testMetadata(actor = "alice", reason: string | null = null): CommandMetadata {
  return { actor, reason, correlationId: `corr-${randomUUID().slice(0, 8)}`, decidedAt: new Date().toISOString() };
}

export function addItem(cartId: string, sku: string, unitPriceCents: number, quantity = 1): CartCommand {
  return { type: "AddItem", cartId, sku, name: sku.charAt(0).toUpperCase() + sku.slice(1), unitPriceCents, quantity };
}

export const SEED_DISCOUNT_ID = "banana-2";

export function seedCommands(cartId: string, discountId = SEED_DISCOUNT_ID): CartCommand[] {
  return [
    addItem(cartId, "banana", 100),
    addItem(cartId, "apple", 150),
    addItem(cartId, "banana", 100),
    { type: "RemoveItem", cartId, sku: "apple" },
    { type: "ApplyDiscount", cartId, discountId, sku: "banana", minQuantity: 2, amountCents: -10 },
    addItem(cartId, "mango", 200),
    { type: "CheckOut", cartId },
  ];
}

export const seedItems = [
  { sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 2 },
  { sku: "mango", name: "Mango", unitPriceCents: 200, quantity: 1 },
];

/** The state contract's JSON of the checked-out seed cart, key order included. */
export function seedView(cartId: string, discountId = SEED_DISCOUNT_ID): CartView {
  return {
    cartId,
    status: "checked_out",
    items: seedItems,
    discounts: [{ discountId, sku: "banana", minQuantity: 2, amountCents: -10 }],
    subtotalCents: 400,
    totalCents: 390,
  };
}
