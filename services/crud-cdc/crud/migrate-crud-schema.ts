import type { Knex } from "knex";
import { crudStateTables, crudTables } from "./crud-tables.ts";

export type ReplicaIdentity = "default" | "full";

export interface MigrateCrudSchemaOptions {
  schema: string;
  /** FULL makes Debezium's `before` carry the whole old row on update and delete; DEFAULT only the key. */
  replicaIdentity: ReplicaIdentity;
}

/**
 * Creates (or completes) design 1's tables in `options.schema`: carts, cart_items,
 * cart_discounts and the outbox. Idempotent, safe when several processes migrate at once, and
 * it switches the state tables' replica identity to what is asked, in either direction.
 */
export async function migrateCrudSchema(knex: Knex, options: MigrateCrudSchemaOptions): Promise<void> {
  const t = crudTables(options.schema);
  await knex.transaction(async (trx) => {
    // CREATE ... IF NOT EXISTS still races on the catalogs' unique indexes; one migrator at a time.
    await trx.raw("SELECT pg_advisory_xact_lock(hashtext(?))", [`cdc-es-lab.crud:${t.schema}`]);
    await trx.raw(`CREATE SCHEMA IF NOT EXISTS "${t.schema}"`);
    await trx.raw(`
      CREATE TABLE IF NOT EXISTS ${t.carts} (
        cart_id text PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('open', 'checked_out')),
        -- What was sold, fixed at checkout: never recomputed from lines someone may edit later.
        total_cents bigint NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT carts_total_set_at_checkout CHECK ((status = 'checked_out') = (total_cents IS NOT NULL))
      )`);
    // The customer lives on the cart row, not in a customers table keyed by customer id: the
    // address and e-mail are the ones given for this order (a customer may ship the next one
    // elsewhere), as an order system keeps them, and the cart row is already captured, so no
    // new topic joins the CDC variants. The price is paid at erasure: every cart of the
    // customer must be cleared, in one transaction (erase-crud-customer.ts).
    await trx.raw(`
      ALTER TABLE ${t.carts}
        ADD COLUMN IF NOT EXISTS customer_id text NULL,
        ADD COLUMN IF NOT EXISTS customer_email text NULL,
        ADD COLUMN IF NOT EXISTS customer_name text NULL,
        ADD COLUMN IF NOT EXISTS shipping_address text NULL`);
    // Personal columns only with a customer; cleared together or set together.
    await trx.raw(`
      DO $$ BEGIN
        ALTER TABLE ${t.carts} ADD CONSTRAINT carts_customer_whole CHECK (
          (customer_id IS NOT NULL OR (customer_email IS NULL AND customer_name IS NULL AND shipping_address IS NULL))
          AND ((customer_email IS NULL) = (customer_name IS NULL) AND (customer_name IS NULL) = (shipping_address IS NULL)));
      EXCEPTION WHEN duplicate_object THEN NULL;
      END $$`);
    await trx.raw(`CREATE INDEX IF NOT EXISTS carts_customer ON ${t.carts} (customer_id) WHERE customer_id IS NOT NULL`);
    await trx.raw(`
      CREATE TABLE IF NOT EXISTS ${t.cartItems} (
        cart_id text NOT NULL REFERENCES ${t.carts} (cart_id),
        sku text NOT NULL,
        name text NOT NULL,
        unit_price_cents bigint NOT NULL CHECK (unit_price_cents >= 0),
        quantity int NOT NULL CHECK (quantity >= 1),
        PRIMARY KEY (cart_id, sku)
      )`);
    await trx.raw(`
      CREATE TABLE IF NOT EXISTS ${t.cartDiscounts} (
        cart_id text NOT NULL REFERENCES ${t.carts} (cart_id),
        discount_id text NOT NULL,
        sku text NOT NULL,
        min_quantity int NOT NULL CHECK (min_quantity >= 1),
        amount_cents bigint NOT NULL CHECK (amount_cents < 0),
        PRIMARY KEY (cart_id, discount_id)
      )`);
    // Column names are the Outbox Event Router's defaults, so its connector config stays minimal.
    await trx.raw(`
      CREATE TABLE IF NOT EXISTS ${t.outbox} (
        id uuid PRIMARY KEY,
        aggregatetype text NOT NULL,
        aggregateid text NOT NULL,
        type text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    const wanted = options.replicaIdentity === "full" ? "f" : "d";
    const current = await trx.raw<{ rows: { relname: string; relreplident: string }[] }>(
      `SELECT c.relname, c.relreplident FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = ? AND c.relname = ANY(?)`,
      [t.schema, [...crudStateTables]],
    );
    for (const table of current.rows) {
      // Only when it differs: ALTER TABLE takes an exclusive lock and sends Debezium a new
      // relation message, neither of which a no-op re-run should cause.
      if (table.relreplident === wanted) continue;
      await trx.raw(`ALTER TABLE "${t.schema}"."${table.relname}" REPLICA IDENTITY ${wanted === "f" ? "FULL" : "DEFAULT"}`);
    }
  });
}
