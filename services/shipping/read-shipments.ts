import type { Pool } from "pg";
import type { Shipment, ShipmentDesign } from "./shipment.ts";
import { shippingTables } from "./shipping-tables.ts";

/** Shipments in the order they were first received; optionally of one design or one cart. */
export async function readShipments(pool: Pool, schema: string, filter: { design?: ShipmentDesign; cartId?: string } = {}): Promise<Shipment[]> {
  const t = shippingTables(schema);
  const result = await pool.query<{ design: ShipmentDesign; event_id: string; cart_id: string; total_cents: string; items: Shipment["items"]; received_at: string }>(
    `SELECT design, event_id::text AS event_id, cart_id, total_cents::text AS total_cents, items,
            to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS received_at
     FROM ${t.shipments}
     WHERE ($1::text IS NULL OR design = $1) AND ($2::text IS NULL OR cart_id = $2)
     ORDER BY received_at, design, event_id`,
    [filter.design ?? null, filter.cartId ?? null],
  );
  return result.rows.map((row) => ({
    design: row.design,
    eventId: row.event_id,
    cartId: row.cart_id,
    // Decoded as a safe integer before it was stored, so it converts back exactly.
    totalCents: Number(row.total_cents),
    items: row.items,
    receivedAt: row.received_at,
  }));
}

/** A consumer's progress on one partition: the next offset it expects and what the earlier ones did. */
export interface ShippingProgress {
  topic: string;
  partition: number;
  nextOffset: string;
  recorded: number;
  duplicates: number;
}

export async function readShippingProgress(pool: Pool, schema: string, consumer: string): Promise<ShippingProgress[]> {
  const t = shippingTables(schema);
  const result = await pool.query<{ topic: string; partition: number; next_offset: string; recorded: string; duplicates: string }>(
    `SELECT topic, partition, next_offset::text AS next_offset, recorded::text AS recorded, duplicates::text AS duplicates
     FROM ${t.progress} WHERE consumer = $1 ORDER BY topic, partition`,
    [consumer],
  );
  return result.rows.map((row) => ({
    topic: row.topic,
    partition: row.partition,
    nextOffset: row.next_offset,
    recorded: Number(row.recorded),
    duplicates: Number(row.duplicates),
  }));
}
