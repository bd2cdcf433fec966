import { cartStreamId } from "./cart-stream.ts";
import type { EventJournal, JsonObject } from "./event-journal.ts";

export interface CartHistoryEntry {
  streamVersion: number;
  globalPosition: string;
  transactionId: string;
  eventId: string;
  type: string;
  /** The shape of `data` shown (current, after upcasting) and the one stored. */
  schemaVersion: number;
  storedSchemaVersion: number;
  data: JsonObject;
  metadata: JsonObject;
  recordedAt: string;
}

/**
 * Every event of the cart, oldest first, as plain JSON. The data is not decoded into cart
 * events, so a history with a type or shape this code no longer knows still prints.
 */
export async function cartHistory(journal: EventJournal, cartId: string): Promise<CartHistoryEntry[]> {
  const events = await journal.readStream(cartStreamId(cartId));
  return events.map((event) => ({
    streamVersion: event.streamVersion,
    globalPosition: event.globalPosition,
    transactionId: event.transactionId,
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    storedSchemaVersion: event.storedSchemaVersion,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt,
  }));
}
