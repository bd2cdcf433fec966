import type { CartCustomer, CartDiscount, CartLine } from "./state.ts";

export interface ItemAdded {
  type: "ItemAdded";
  cartId: string;
  sku: string;
  name: string;
  unitPriceCents: number;
  /** The quantity added by this event, not the line's new quantity. */
  quantity: number;
}

export interface ItemRemoved {
  type: "ItemRemoved";
  cartId: string;
  sku: string;
}

export interface DiscountApplied {
  type: "DiscountApplied";
  cartId: string;
  discountId: string;
  sku: string;
  minQuantity: number;
  amountCents: number;
}

export interface DiscountRevoked {
  type: "DiscountRevoked";
  cartId: string;
  discountId: string;
}

export interface PriceCorrected {
  type: "PriceCorrected";
  cartId: string;
  sku: string;
  unitPriceCents: number;
}

/** Carries the whole cart so the shipping consumer needs nothing but this event. */
export interface CheckedOut {
  type: "CheckedOut";
  cartId: string;
  items: CartLine[];
  discounts: CartDiscount[];
  totalCents: number;
  /** Present when a customer was attached: shipping needs the address, and nothing else to look up. */
  customer?: CartCustomer;
}

/**
 * Holds personal data under `customer`, the one key a journal encrypts (crypto-shredding) and
 * an erasure empties. A read after erasure gives an ErasedCustomer here.
 */
export interface CustomerAttached {
  type: "CustomerAttached";
  cartId: string;
  customer: CartCustomer;
}

export type CartEvent = ItemAdded | ItemRemoved | DiscountApplied | DiscountRevoked | PriceCorrected | CheckedOut | CustomerAttached;

export type CartEventType = CartEvent["type"];
