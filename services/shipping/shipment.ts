import type { CartLine } from "../cart/index.ts";

/** Which design a checkout came from: the CRUD outbox through Debezium, or the event-sourced journal. */
export const shipmentDesigns = ["crud", "es"] as const;
export type ShipmentDesign = (typeof shipmentDesigns)[number];

/** One checkout as shipping recorded it, once, whatever number of copies arrived. */
export interface Shipment {
  design: ShipmentDesign;
  eventId: string;
  cartId: string;
  totalCents: number;
  items: CartLine[];
  /** When the first copy was recorded (UTC ISO-8601). */
  receivedAt: string;
}

/**
 * What recording one message did. `duplicate`: a second copy of a checkout already recorded,
 * at a new position (produced twice: a publisher re-sent it, Connect re-emitted it after a
 * crash). `redelivered`: a position already handled, handed over again because its Kafka commit
 * was lost; it changes nothing, not even the duplicate count.
 */
export type ShipmentOutcome = "recorded" | "duplicate" | "redelivered";
