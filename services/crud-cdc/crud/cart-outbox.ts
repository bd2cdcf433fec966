import { CART_CHECKED_OUT_MESSAGE_TYPE, checkedOutMessage } from "../../cart/index.ts";
import type { CartCheckedOutMessage, CheckedOut } from "../../cart/index.ts";

/** One `outbox` row in the Debezium Outbox Event Router's default columns. */
export interface CartOutboxRecord {
  id: string;
  /** Routes the row to topic `outbox.event.cart` under the router's default replacement. */
  aggregatetype: "cart";
  /** Becomes the Kafka key, so one cart's messages stay in order on one partition. */
  aggregateid: string;
  type: typeof CART_CHECKED_OUT_MESSAGE_TYPE;
  payload: CartCheckedOutMessage;
}

export const cartOutboxAggregateType = "cart";

export function cartCheckedOutOutboxRecord(event: CheckedOut, eventId: string, checkedOutAt: string): CartOutboxRecord {
  return {
    id: eventId,
    aggregatetype: cartOutboxAggregateType,
    aggregateid: event.cartId,
    type: CART_CHECKED_OUT_MESSAGE_TYPE,
    payload: checkedOutMessage(event, eventId, checkedOutAt),
  };
}
