import type { PoolClient } from "pg";
import { LabError } from "../platform/errors.ts";
import { checkpoint, initialCheckpoint } from "./global-checkpoint.ts";
import type { GlobalCheckpoint } from "./global-checkpoint.ts";
import { statementName } from "./journal-schema.ts";
import type { JournalSchema } from "./journal-schema.ts";
import type { Queryable } from "./queryable.ts";

/**
 * Where each reader of the global order stands (the cart-summary projection, the checkout
 * publisher), one row per name in `projection_checkpoints`.
 */
export async function readCheckpoint(db: Queryable, schema: JournalSchema, name: string): Promise<GlobalCheckpoint> {
  const result = await db.query<{ transaction_id: string; global_position: string }>({
    name: statementName(schema, "read-checkpoint"),
    text: `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position
           FROM ${schema.checkpoints} WHERE projection_name = $1`,
    values: [name],
  });
  const row = result.rows[0];
  return row === undefined ? initialCheckpoint() : checkpoint(row.transaction_id, row.global_position);
}

/** Takes the checkpoint row's lock for the caller's transaction, creating the row if needed. */
export async function lockCheckpoint(client: PoolClient, schema: JournalSchema, name: string): Promise<GlobalCheckpoint> {
  await client.query({
    name: statementName(schema, "create-checkpoint"),
    text: `INSERT INTO ${schema.checkpoints} (projection_name) VALUES ($1) ON CONFLICT (projection_name) DO NOTHING`,
    values: [name],
  });
  const result = await client.query<{ transaction_id: string; global_position: string }>({
    name: statementName(schema, "lock-checkpoint"),
    text: `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position
           FROM ${schema.checkpoints} WHERE projection_name = $1 FOR UPDATE`,
    values: [name],
  });
  const row = result.rows[0];
  if (row === undefined) throw new LabError("ComponentFailed", `checkpoint row of ${name} vanished`);
  return checkpoint(row.transaction_id, row.global_position);
}

/** Moves the checkpoint anywhere (back, for a replay or a re-send). */
export async function resetCheckpoint(db: Queryable, schema: JournalSchema, name: string, to: GlobalCheckpoint): Promise<void> {
  await db.query(
    `INSERT INTO ${schema.checkpoints} (projection_name, transaction_id, global_position) VALUES ($1, $2::xid8, $3::bigint)
     ON CONFLICT (projection_name) DO UPDATE
       SET transaction_id = EXCLUDED.transaction_id, global_position = EXCLUDED.global_position, updated_at = clock_timestamp()`,
    [name, to.transactionId, to.globalPosition],
  );
}

/** Runs passes until one reads nothing; resolves with the events read in all. */
export async function catchUp(runOnce: () => Promise<number>): Promise<number> {
  let total = 0;
  for (let read = await runOnce(); read > 0; read = await runOnce()) total += read;
  return total;
}
