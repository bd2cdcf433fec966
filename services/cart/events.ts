import type { CartDiscount, CartLine } from "./state.ts";

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
}

export type CartEvent = ItemAdded | ItemRemoved | DiscountApplied | DiscountRevoked | PriceCorrected | CheckedOut;

export type CartEventType = CartEvent["type"];
