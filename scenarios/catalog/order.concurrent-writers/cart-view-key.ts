import type { CartView } from "../../../services/cart/index.ts";

/**
 * One string per distinct cart view, in the contract's field order, so views can be counted
 * in a Set. Lines and discounts keep their order: the contract sorts them, so a different
 * order would be a different view.
 */
export function cartViewKey(view: CartView | null): string {
  if (view === null) return "null";
  return JSON.stringify([
    view.cartId,
    view.status,
    view.items.map((line) => [line.sku, line.name, line.unitPriceCents, line.quantity]),
    view.discounts.map((discount) => [discount.discountId, discount.sku, discount.minQuantity, discount.amountCents]),
    view.subtotalCents,
    view.totalCents,
  ]);
}
