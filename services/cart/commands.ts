export interface AddItem {
  type: "AddItem";
  cartId: string;
  sku: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
}

export interface RemoveItem {
  type: "RemoveItem";
  cartId: string;
  sku: string;
}

export interface ApplyDiscount {
  type: "ApplyDiscount";
  cartId: string;
  discountId: string;
  sku: string;
  minQuantity: number;
  /** Negative: a discount lowers the total. */
  amountCents: number;
}

export interface RevokeDiscount {
  type: "RevokeDiscount";
  cartId: string;
  discountId: string;
}

export interface CorrectPrice {
  type: "CorrectPrice";
  cartId: string;
  sku: string;
  unitPriceCents: number;
}

export interface CheckOut {
  type: "CheckOut";
  cartId: string;
}

/**
 * Who the cart is for and where it ships: the lab's only personal data. The contract of the
 * other commands (and `state --json`) does not show it; it lives in the cart's state, the
 * checkout message and whatever each design stores them in.
 */
export interface AttachCustomer {
  type: "AttachCustomer";
  cartId: string;
  customerId: string;
  email: string;
  name: string;
  shippingAddress: string;
}

export type CartCommand = AddItem | RemoveItem | ApplyDiscount | RevokeDiscount | CorrectPrice | CheckOut | AttachCustomer;

export type CartCommandType = CartCommand["type"];

/**
 * Who asked, why, and when. The rules never read it: adapters store it beside the events
 * (or emit it as intent in the CDC design), so `decide` stays a function of command and state.
 */
export interface CommandMetadata {
  actor: string;
  reason: string | null;
  correlationId: string;
  /** ISO-8601 time from the injected clock. */
  decidedAt: string;
}
