import { seededRandom } from "./seeded-random.ts";

/**
 * Realistic cart sessions as raw JSON commands (they go through the same edge validation a file
 * given to `apply` does): many carts, mostly valid commands, some rejected by the rules, a few
 * invalid at the edge. Deterministic for a seed.
 */
export interface WorkloadCommand {
  command: Record<string, unknown>;
  metadata: { actor: string; reason?: string };
}

export interface WorkloadOptions {
  seed: number;
  carts: number;
  commands: number;
  /** Prefix of the cart ids, so two runs on one database never share a cart. */
  cartPrefix: string;
}

/** The products every generated cart is filled from (the bench's fixtures use them too). */
export const CATALOG = [
  { sku: "banana", name: "Banana", unitPriceCents: 100 },
  { sku: "apple", name: "Apple", unitPriceCents: 150 },
  { sku: "mango", name: "Mango", unitPriceCents: 200 },
  { sku: "kiwi", name: "Kiwi", unitPriceCents: 75 },
  { sku: "pear", name: "Pear", unitPriceCents: 120 },
] as const;
const DISCOUNTS = ["promo-a", "promo-b", "loyalty"] as const;
const REASONS = ["weekly promotion", "loyalty programme", "price match", "customer complaint"] as const;

export function generateCartWorkload(options: WorkloadOptions): WorkloadCommand[] {
  const random = seededRandom(options.seed);
  let opened = 0;
  const newCartId = (): string => `${options.cartPrefix}${(opened += 1)}`;
  // `carts` sessions are open at a time; a checked-out cart's session ends and a new cart opens.
  const sessions = Array.from({ length: options.carts }, newCartId);
  const finished: string[] = [];
  const commands: WorkloadCommand[] = [];
  for (let index = 0; index < options.commands; index += 1) {
    const slot = random.int(0, sessions.length - 1);
    // Now and then a late command for a cart that was already checked out.
    const cartId = finished.length > 0 && random.chance(0.02) ? random.pick(finished) : (sessions[slot] ?? newCartId());
    const customer = { actor: `customer-${cartId}` };
    const product = random.pick(CATALOG);
    const roll = random.next();
    if (roll < 0.45) {
      // Now and then a stale price (PriceMismatch) or a quantity over the line limit.
      const unitPriceCents = random.chance(0.05) ? product.unitPriceCents + 1 : product.unitPriceCents;
      const quantity = random.chance(0.02) ? 9_999 : random.int(1, 4);
      commands.push({ command: { type: "AddItem", cartId, sku: product.sku, name: product.name, unitPriceCents, quantity }, metadata: customer });
    } else if (roll < 0.6) {
      commands.push({ command: { type: "RemoveItem", cartId, sku: product.sku }, metadata: customer });
    } else if (roll < 0.72) {
      const discountId = random.pick(DISCOUNTS);
      const amountCents = random.chance(0.7) ? -10 * (DISCOUNTS.indexOf(discountId) + 1) : -random.int(1, 500);
      commands.push({
        command: { type: "ApplyDiscount", cartId, discountId, sku: product.sku, minQuantity: random.int(1, 3), amountCents },
        metadata: { actor: "pricing-service", reason: random.pick(REASONS) },
      });
    } else if (roll < 0.8) {
      commands.push({ command: { type: "RevokeDiscount", cartId, discountId: random.pick(DISCOUNTS) }, metadata: { actor: "pricing-service", reason: random.pick(REASONS) } });
    } else if (roll < 0.87) {
      commands.push({
        command: { type: "CorrectPrice", cartId, sku: product.sku, unitPriceCents: product.unitPriceCents - random.int(0, 20) },
        metadata: { actor: "operator", reason: "price correction" },
      });
    } else if (roll < 0.9) {
      commands.push({ command: { type: "CheckOut", cartId }, metadata: customer });
      if (sessions[slot] === cartId) {
        finished.push(cartId);
        sessions[slot] = newCartId();
      }
    } else if (roll < 0.95) {
      // Invalid at the edge: a malformed sku, a zero quantity, an unknown field.
      const broken = random.pick([
        { type: "AddItem", cartId, sku: "bad sku!", name: "Broken", unitPriceCents: 1, quantity: 1 },
        { type: "AddItem", cartId, sku: product.sku, name: product.name, unitPriceCents: product.unitPriceCents, quantity: 0 },
        { type: "RemoveItem", cartId, sku: product.sku, note: "unknown field" },
        { type: "Teleport", cartId },
      ]);
      commands.push({ command: broken, metadata: customer });
    } else {
      commands.push({ command: { type: "AddItem", cartId, sku: product.sku, name: product.name, unitPriceCents: product.unitPriceCents, quantity: 1 }, metadata: customer });
    }
  }
  return commands;
}
