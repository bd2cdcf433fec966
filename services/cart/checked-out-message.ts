import type { CheckedOut } from "./events.ts";
import type { CartCustomer, CartDiscount, CartLine } from "./state.ts";

/**
 * What a checkout publishes in either design (design 1 through its outbox, design 2 from its
 * journal): the whole sold cart, so the shipping consumer has nothing to look up.
 */
export interface CartCheckedOutMessage {
  /** The consumer deduplicates on it: the outbox row's id, or the journal's event id. */
  eventId: string;
  cartId: string;
  items: CartLine[];
  discounts: CartDiscount[];
  totalCents: number;
  checkedOutAt: string;
  /** Who it ships to; absent for a cart no customer was attached to (the message is then as before). */
  customer?: CartCustomer;
}

export const CART_CHECKED_OUT_MESSAGE_TYPE = "CartCheckedOut";

export function checkedOutMessage(event: CheckedOut, eventId: string, checkedOutAt: string): CartCheckedOutMessage {
  return {
    eventId,
    cartId: event.cartId,
    items: event.items.map((line) => ({ ...line })),
    discounts: event.discounts.map((discount) => ({ ...discount })),
    totalCents: event.totalCents,
    checkedOutAt,
    ...(event.customer === undefined ? {} : { customer: { ...event.customer } }),
  };
}
