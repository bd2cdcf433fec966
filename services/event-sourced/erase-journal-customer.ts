import type { Pool } from "pg";
import { journalSchema } from "./journal-schema.ts";
import { withTransaction } from "./transaction.ts";

export interface JournalCustomerErasure {
  /** Keys deleted: every event and snapshot sealed under them now reads as erased. */
  keys: number;
  /** Snapshots deleted because they held the customer in clear (written by a plaintext journal). */
  plaintextSnapshots: number;
}

/**
 * Forgets a customer in one journal, in one transaction: deletes the customer's key (the
 * crypto-shredding), and deletes any snapshot that holds them in clear. Snapshots are a cache,
 * so deleting one costs a longer fold; sealed ones stay, unreadable now. The events are not
 * touched and cannot be: a journal written in plaintext keeps the personal data in its events
 * for good, which is what the naive journal's erasure leaves behind.
 */
export async function eraseJournalCustomer(pool: Pool, schema: string, customerId: string): Promise<JournalCustomerErasure> {
  const s = journalSchema(schema);
  return withTransaction(pool, async (client) => {
    const keys = await client.query(`DELETE FROM ${s.customerKeys} WHERE customer_id = $1`, [customerId]);
    const snapshots = await client.query(
      `DELETE FROM ${s.snapshots}
       WHERE state -> 'customer' ->> 'customerId' = $1 AND state -> 'customer' ->> 'email' IS NOT NULL`,
      [customerId],
    );
    return { keys: keys.rowCount ?? 0, plaintextSnapshots: snapshots.rowCount ?? 0 };
  });
}
