import type {
  AddItem,
  AttachCustomer,
  CartCustomer,
  CustomerAttached,
  CartDiscount,
  CartLine,
  CheckedOut,
  ApplyDiscount,
  CheckOut,
  CorrectPrice,
  DiscountApplied,
  DiscountRevoked,
  ItemAdded,
  ItemRemoved,
  PriceCorrected,
  RemoveItem,
  RevokeDiscount,
} from "../../../services/cart/index.ts";

// Short builders so a test's given/when/then fits on a few lines; every test uses cart 101
// unless the cartId is the point of the test.
export const cartId = "101";

function titleCase(sku: string): string {
  return sku.charAt(0).toUpperCase() + sku.slice(1);
}

export function addItem(sku: string, unitPriceCents: number, quantity = 1, name = titleCase(sku)): AddItem {
  return { type: "AddItem", cartId, sku, name, unitPriceCents, quantity };
}

export function itemAdded(sku: string, unitPriceCents: number, quantity = 1, name = titleCase(sku)): ItemAdded {
  return { type: "ItemAdded", cartId, sku, name, unitPriceCents, quantity };
}

export function removeItem(sku: string): RemoveItem {
  return { type: "RemoveItem", cartId, sku };
}

export function itemRemoved(sku: string): ItemRemoved {
  return { type: "ItemRemoved", cartId, sku };
}

export function applyDiscount(discountId: string, sku: string, minQuantity: number, amountCents: number): ApplyDiscount {
  return { type: "ApplyDiscount", cartId, discountId, sku, minQuantity, amountCents };
}

export function discountApplied(
  discountId: string,
  sku: string,
  minQuantity: number,
  amountCents: number,
): DiscountApplied {
  return { type: "DiscountApplied", cartId, discountId, sku, minQuantity, amountCents };
}

export function revokeDiscount(discountId: string): RevokeDiscount {
  return { type: "RevokeDiscount", cartId, discountId };
}

export function discountRevoked(discountId: string): DiscountRevoked {
  return { type: "DiscountRevoked", cartId, discountId };
}

export function correctPrice(sku: string, unitPriceCents: number): CorrectPrice {
  return { type: "CorrectPrice", cartId, sku, unitPriceCents };
}

export function priceCorrected(sku: string, unitPriceCents: number): PriceCorrected {
  return { type: "PriceCorrected", cartId, sku, unitPriceCents };
}

export function checkOut(): CheckOut {
  return { type: "CheckOut", cartId };
}

export function line(sku: string, unitPriceCents: number, quantity = 1, name = titleCase(sku)): CartLine {
  return { sku, name, unitPriceCents, quantity };
}

export function discount(discountId: string, sku: string, minQuantity: number, amountCents: number): CartDiscount {
  return { discountId, sku, minQuantity, amountCents };
}

export function checkedOut(totalCents: number, items: CartLine[], discounts: CartDiscount[] = []): CheckedOut {
  return { type: "CheckedOut", cartId, items, discounts, totalCents };
}

export const customerId = "c-1";

export function attachCustomer(email = "ada@example.test", name = "Ada Lovelace", shippingAddress = "1 Analytical Row, London", id = customerId): AttachCustomer {
  return { type: "AttachCustomer", cartId, customerId: id, email, name, shippingAddress };
}

export function customerAttached(email = "ada@example.test", name = "Ada Lovelace", shippingAddress = "1 Analytical Row, London", id = customerId): CustomerAttached {
  return { type: "CustomerAttached", cartId, customer: { customerId: id, email, name, shippingAddress } };
}

export function customerOf(event: CustomerAttached): CartCustomer {
  return event.customer;
}
