import type { CartDiscount, CartLine } from "./state.ts";

export function quantityOf(items: readonly CartLine[], sku: string): number {
  return items.find((line) => line.sku === sku)?.quantity ?? 0;
}

export function subtotalCents(items: readonly CartLine[]): number {
  return items.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
}

/** A discount only counts while the cart holds enough of its sku; otherwise it waits, unrevoked. */
export function countingDiscounts(items: readonly CartLine[], discounts: readonly CartDiscount[]): CartDiscount[] {
  return discounts.filter((discount) => quantityOf(items, discount.sku) >= discount.minQuantity);
}

export function totalCents(items: readonly CartLine[], discounts: readonly CartDiscount[]): number {
  const discounted = countingDiscounts(items, discounts).reduce(
    (sum, discount) => sum + discount.amountCents,
    subtotalCents(items),
  );
  return Math.max(0, discounted);
}
