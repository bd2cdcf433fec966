import type { Pool } from "pg";
import { LabError } from "../platform/errors.ts";
import type { CheckoutMessage } from "./checkout-message.ts";
import type { ShipmentDesign, ShipmentOutcome } from "./shipment.ts";
import type { ShippingTables } from "./shipping-tables.ts";
import { inShippingTransaction } from "./shipping-transaction.ts";

/**
 * Records one checkout message for `consumer`, in one transaction with the consumer's progress
 * on the message's partition. Kafka's own commit comes later and can be lost; the progress row
 * is what tells a redelivered position (nothing to do) from a second copy of a checkout at a
 * new position (one duplicate absorbed), so neither the shipments nor the counts double.
 */
export async function recordShipment(
  pool: Pool,
  tables: ShippingTables,
  consumer: string,
  design: ShipmentDesign,
  message: CheckoutMessage,
): Promise<ShipmentOutcome> {
  const { topic, partition, offset } = message.position;
  return inShippingTransaction(pool, async (client) => {
    await client.query(
      `INSERT INTO ${tables.progress} (consumer, topic, partition) VALUES ($1, $2, $3) ON CONFLICT (consumer, topic, partition) DO NOTHING`,
      [consumer, topic, partition],
    );
    // Locked: two instances of one consumer handed the same partition during a rebalance must
    // not both decide that an offset is new.
    const progress = await client.query<{ next_offset: string }>(
      `SELECT next_offset::text AS next_offset FROM ${tables.progress} WHERE consumer = $1 AND topic = $2 AND partition = $3 FOR UPDATE`,
      [consumer, topic, partition],
    );
    const nextOffset = progress.rows[0]?.next_offset;
    if (nextOffset === undefined) {
      throw new LabError("ComponentFailed", `shipping progress of ${consumer} on ${topic}[${partition}] vanished`, { details: { ...message.position, consumer } });
    }
    if (BigInt(offset) < BigInt(nextOffset)) return "redelivered";
    const customer = message.payload.customer;
    const inserted = await client.query(
      `INSERT INTO ${tables.shipments} (design, event_id, cart_id, total_cents, items, customer_id, customer_email, customer_name, shipping_address)
       VALUES ($1, $2::uuid, $3, $4::bigint, $5::jsonb, $6, $7, $8, $9)
       ON CONFLICT (design, event_id) DO NOTHING`,
      [
        design,
        message.eventId,
        message.cartId,
        message.payload.totalCents,
        JSON.stringify(message.payload.items),
        customer?.customerId ?? null,
        customer?.email ?? null,
        customer?.name ?? null,
        customer?.shippingAddress ?? null,
      ],
    );
    const recorded = inserted.rowCount === 1;
    await client.query(
      `UPDATE ${tables.progress}
       SET next_offset = $4::bigint + 1, recorded = recorded + $5, duplicates = duplicates + $6, updated_at = clock_timestamp()
       WHERE consumer = $1 AND topic = $2 AND partition = $3`,
      [consumer, topic, partition, offset, recorded ? 1 : 0, recorded ? 0 : 1],
    );
    return recorded ? "recorded" : "duplicate";
  });
}
