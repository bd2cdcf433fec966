import type { CartDiscount, CartLine, CheckedOut } from "../../cart/index.ts";

/** What the shipping consumer reads from the outbox topic: the whole sold cart, nothing to look up. */
export interface CartCheckedOutPayload {
  /** Also the outbox row's id (the Event Router's `id` header): a consumer deduplicates on it. */
  eventId: string;
  cartId: string;
  items: CartLine[];
  discounts: CartDiscount[];
  totalCents: number;
  checkedOutAt: string;
}

/** One `outbox` row in the Debezium Outbox Event Router's default columns. */
export interface CartOutboxRecord {
  id: string;
  /** Routes the row to topic `outbox.event.cart` under the router's default replacement. */
  aggregatetype: "cart";
  /** Becomes the Kafka key, so one cart's messages stay in order on one partition. */
  aggregateid: string;
  type: "CartCheckedOut";
  payload: CartCheckedOutPayload;
}

export const cartOutboxAggregateType = "cart";
export const cartCheckedOutType = "CartCheckedOut";

export function cartCheckedOutOutboxRecord(event: CheckedOut, eventId: string, checkedOutAt: string): CartOutboxRecord {
  return {
    id: eventId,
    aggregatetype: cartOutboxAggregateType,
    aggregateid: event.cartId,
    type: cartCheckedOutType,
    payload: {
      eventId,
      cartId: event.cartId,
      items: event.items.map((line) => ({ ...line })),
      discounts: event.discounts.map((discount) => ({ ...discount })),
      totalCents: event.totalCents,
      checkedOutAt,
    },
  };
}
