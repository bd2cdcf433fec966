import type { ClientBase } from "pg";
import { appendFunctionDefinition } from "./append-function.ts";
import { journalSchema } from "./journal-schema.ts";
import { inTransaction } from "./transaction.ts";

/**
 * Creates (or completes) one journal in `schema`: events and the function that appends them,
 * snapshots, projection checkpoints and the cart-summary read model, and the customers' keys. Idempotent, and safe when several processes migrate at once.
 * `client` must not be inside a transaction: the migration is one of its own.
 */
export async function migrateJournal(client: ClientBase, schema: string): Promise<void> {
  const s = journalSchema(schema);
  await inTransaction(client, async () => {
    // CREATE ... IF NOT EXISTS still races on the catalogs' unique indexes; one migrator at a time.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('cdc-es-lab.journal:' || $1))", [s.name]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${s.name}"`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${s.events} (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        stream_id text NOT NULL,
        stream_version int NOT NULL CHECK (stream_version >= 1),
        event_id uuid NOT NULL UNIQUE,
        event_type text NOT NULL,
        schema_version int NOT NULL DEFAULT 1 CHECK (schema_version >= 1),
        data jsonb NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        -- clock_timestamp, not now(): events of one long transaction keep their own times.
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        -- The writer's transaction, so global readers can wait for every older one to finish.
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
      )`);
    await client.query(
      `CREATE INDEX IF NOT EXISTS events_global_order ON ${s.events} (transaction_id, global_position)`,
    );
    await client.query(appendFunctionDefinition(s));
    await client.query(`
      CREATE OR REPLACE FUNCTION "${s.name}".refuse_journal_change() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the journal is append-only: % on %.% is refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
          USING ERRCODE = 'restrict_violation',
                HINT = 'Correct history by appending a compensating event.';
      END
      $$`);
    // Statement level, so even an UPDATE or DELETE that matches no row is refused, and TRUNCATE
    // (which row triggers never see) is covered by the same trigger.
    await client.query(`
      CREATE OR REPLACE TRIGGER events_append_only
      BEFORE UPDATE OR DELETE OR TRUNCATE ON ${s.events}
      FOR EACH STATEMENT EXECUTE FUNCTION "${s.name}".refuse_journal_change()`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${s.snapshots} (
        stream_id text PRIMARY KEY,
        stream_version int NOT NULL CHECK (stream_version >= 1),
        schema_version int NOT NULL,
        state jsonb NOT NULL,
        taken_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${s.checkpoints} (
        projection_name text PRIMARY KEY,
        transaction_id xid8 NOT NULL DEFAULT '0',
        global_position bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${s.cartSummaries} (
        cart_id text PRIMARY KEY,
        -- The last version of the cart's stream applied: what makes a redelivered event a no-op.
        stream_version int NOT NULL,
        status text NOT NULL,
        total_cents bigint NOT NULL,
        state jsonb NOT NULL,
        view jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    // Outside the append-only trigger on purpose: erasing a customer is deleting their key.
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${s.customerKeys} (
        key_id uuid PRIMARY KEY,
        customer_id text NOT NULL UNIQUE,
        key bytea NOT NULL CHECK (octet_length(key) = 32),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
  });
}
