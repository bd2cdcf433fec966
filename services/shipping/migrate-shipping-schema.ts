import type { Pool } from "pg";
import { shippingTables } from "./shipping-tables.ts";
import { inShippingTransaction } from "./shipping-transaction.ts";

/** Creates (or completes) shipping's tables in `schema`. Idempotent, and safe when several processes migrate at once. */
export async function migrateShippingSchema(pool: Pool, schema: string): Promise<void> {
  const t = shippingTables(schema);
  await inShippingTransaction(pool, async (client) => {
    // CREATE ... IF NOT EXISTS still races on the catalogs' unique indexes; one migrator at a time.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('cdc-es-lab.shipping:' || $1))", [t.schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${t.schema}"`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${t.shipments} (
        design text NOT NULL CHECK (design IN ('crud', 'es')),
        event_id uuid NOT NULL,
        cart_id text NOT NULL,
        total_cents bigint NOT NULL CHECK (total_cents >= 0),
        items jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        -- The event id, not the cart: what makes a second copy of one checkout a no-op.
        PRIMARY KEY (design, event_id)
      )`);
    // Where it ships: the address as the checkout message gave it, kept for as long as shipping
    // needs it and cleared by erase-shipping-customer.ts when the customer is forgotten.
    await client.query(`
      ALTER TABLE ${t.shipments}
        ADD COLUMN IF NOT EXISTS customer_id text NULL,
        ADD COLUMN IF NOT EXISTS customer_email text NULL,
        ADD COLUMN IF NOT EXISTS customer_name text NULL,
        ADD COLUMN IF NOT EXISTS shipping_address text NULL`);
    await client.query(`CREATE INDEX IF NOT EXISTS shipments_customer ON ${t.shipments} (customer_id) WHERE customer_id IS NOT NULL`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${t.progress} (
        consumer text NOT NULL,
        topic text NOT NULL,
        partition int NOT NULL,
        -- Written with the shipment it follows, so a record redelivered after a lost Kafka commit
        -- is recognised by its offset and counted nowhere a second time.
        next_offset bigint NOT NULL DEFAULT 0,
        recorded bigint NOT NULL DEFAULT 0,
        duplicates bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (consumer, topic, partition)
      )`);
  });
}
