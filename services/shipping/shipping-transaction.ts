import type { Pool, PoolClient } from "pg";
import { LabError, describeError } from "../platform/errors.ts";

/**
 * Runs `work` in one transaction on a pooled connection: commit when it resolves, roll back when
 * it throws. A connection whose rollback failed is destroyed rather than handed to the next
 * caller in an unknown state.
 */
export async function inShippingTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | null = null;
  try {
    await client.query("BEGIN");
    let result: T;
    try {
      result = await work(client);
    } catch (error) {
      try {
        await client.query("ROLLBACK");
      } catch (rollbackError) {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        throw new LabError("ComponentFailed", `rollback failed (${describeError(rollbackError)}) after: ${describeError(error)}`, { cause: error, retriable: true });
      }
      throw error;
    }
    await client.query("COMMIT");
    return result;
  } finally {
    client.release(broken ?? undefined);
  }
}
