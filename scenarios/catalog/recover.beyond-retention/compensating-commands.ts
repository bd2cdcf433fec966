import { totalCents } from "../../../services/cart/index.ts";
import type { CartView } from "../../../services/cart/index.ts";
import type { WorkloadCommand } from "../../workload/cart-workload.ts";
import { sameView } from "../../kit/cart-record.ts";

/**
 * The commands that bring a cart from what it holds now back to a target state, through the
 * application, so the restore obeys the rules and leaves its own trail. Some targets cannot be
 * reached that way: checkout is final, a cart cannot be deleted, and a checkout records the
 * total of its moment.
 */
export type Compensation = { ok: true; commands: WorkloadCommand[] } | { ok: false; reason: string };

export function compensatingCommands(current: CartView | null, target: CartView | null, metadata: WorkloadCommand["metadata"]): Compensation {
  if (sameView(current, target)) return { ok: true, commands: [] };
  if (target === null) return { ok: false, reason: "a cart cannot be deleted through the application" };
  if (current?.status === "checked_out") return { ok: false, reason: "the cart is checked out, and checkout is final" };
  if (current === null && target.items.length === 0) return { ok: false, reason: "an empty cart cannot be opened through the application" };
  if (target.status === "checked_out" && totalCents(target.items, target.discounts) !== target.totalCents) {
    return { ok: false, reason: "the target's checkout total differs from what a checkout now would record" };
  }
  const cartId = target.cartId;
  const commands: Record<string, unknown>[] = [];
  const currentItems = current?.items ?? [];
  const currentDiscounts = current?.discounts ?? [];

  // Discounts first: a discount with the same id and other content would be a DiscountConflict.
  const kept = new Set<string>();
  for (const discount of currentDiscounts) {
    const wanted = target.discounts.find((candidate) => candidate.discountId === discount.discountId);
    const same = wanted !== undefined && wanted.sku === discount.sku && wanted.minQuantity === discount.minQuantity && wanted.amountCents === discount.amountCents;
    if (same) kept.add(discount.discountId);
    else commands.push({ type: "RevokeDiscount", cartId, discountId: discount.discountId });
  }
  for (const line of currentItems) {
    const wanted = target.items.find((candidate) => candidate.sku === line.sku);
    if (wanted === undefined) {
      commands.push({ type: "RemoveItem", cartId, sku: line.sku });
    } else if (wanted.name !== line.name || wanted.quantity < line.quantity) {
      // A line keeps its first name and only grows: remove it and add it again as wanted.
      commands.push({ type: "RemoveItem", cartId, sku: line.sku });
      commands.push({ type: "AddItem", cartId, sku: wanted.sku, name: wanted.name, unitPriceCents: wanted.unitPriceCents, quantity: wanted.quantity });
    } else {
      if (wanted.unitPriceCents !== line.unitPriceCents) commands.push({ type: "CorrectPrice", cartId, sku: line.sku, unitPriceCents: wanted.unitPriceCents });
      if (wanted.quantity > line.quantity) commands.push({ type: "AddItem", cartId, sku: wanted.sku, name: wanted.name, unitPriceCents: wanted.unitPriceCents, quantity: wanted.quantity - line.quantity });
    }
  }
  // New lines before anything else on an unknown cart: only AddItem opens one.
  const added = target.items.filter((wanted) => !currentItems.some((line) => line.sku === wanted.sku));
  commands.splice(0, 0, ...added.map((wanted) => ({ type: "AddItem", cartId, sku: wanted.sku, name: wanted.name, unitPriceCents: wanted.unitPriceCents, quantity: wanted.quantity })));
  for (const discount of target.discounts) {
    if (kept.has(discount.discountId)) continue;
    commands.push({ type: "ApplyDiscount", cartId, discountId: discount.discountId, sku: discount.sku, minQuantity: discount.minQuantity, amountCents: discount.amountCents });
  }
  if (target.status === "checked_out") commands.push({ type: "CheckOut", cartId });
  return { ok: true, commands: commands.map((command) => ({ command, metadata })) };
}
