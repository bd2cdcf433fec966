import { randomBytes, randomUUID } from "node:crypto";
import { statementName } from "./journal-schema.ts";
import type { JournalSchema } from "./journal-schema.ts";
import type { CustomerKey } from "./personal-data-seal.ts";
import { SEAL_KEY_BYTES } from "./personal-data-seal.ts";
import type { Queryable } from "./queryable.ts";

/**
 * The customer's key, created on first use. Run inside the append's transaction, so the key
 * commits with the first event sealed under it (or neither does). One key per customer at a
 * time; after erasure a returning customer gets a new key id, and the old ciphertexts stay
 * unreadable.
 */
export async function customerKeyFor(db: Queryable, schema: JournalSchema, customerId: string): Promise<CustomerKey> {
  await db.query({
    name: statementName(schema, "create-customer-key"),
    text: `INSERT INTO ${schema.customerKeys} (key_id, customer_id, key) VALUES ($1::uuid, $2, $3) ON CONFLICT (customer_id) DO NOTHING`,
    values: [randomUUID(), customerId, randomBytes(SEAL_KEY_BYTES)],
  });
  const result = await db.query<{ key_id: string; key: Buffer }>({
    name: statementName(schema, "customer-key"),
    text: `SELECT key_id::text AS key_id, key FROM ${schema.customerKeys} WHERE customer_id = $1`,
    values: [customerId],
  });
  const row = result.rows[0];
  if (row === undefined) throw new Error(`customer key of ${customerId} vanished inside its own transaction`);
  return { keyId: row.key_id, key: row.key };
}

/** The keys that still exist among `keyIds`; a missing one was erased. */
export async function customerKeysById(db: Queryable, schema: JournalSchema, keyIds: readonly string[]): Promise<Map<string, Buffer>> {
  if (keyIds.length === 0) return new Map();
  const result = await db.query<{ key_id: string; key: Buffer }>({
    name: statementName(schema, "customer-keys"),
    text: `SELECT key_id::text AS key_id, key FROM ${schema.customerKeys} WHERE key_id = ANY($1::uuid[])`,
    values: [keyIds],
  });
  return new Map(result.rows.map((row) => [row.key_id, row.key]));
}
