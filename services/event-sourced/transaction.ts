import type { ClientBase, Pool, PoolClient } from "pg";
import { LabError, describeError } from "../platform/errors.ts";

/**
 * Runs `work` in one transaction on `client`: commit when it resolves, roll back when it throws.
 * The work's own error is what the caller sees; a failed rollback (the connection is gone)
 * wraps it, so the caller can tell the client must be discarded.
 */
export async function inTransaction<T>(client: ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query("BEGIN");
  let result: T;
  try {
    result = await work();
  } catch (error) {
    try {
      await client.query("ROLLBACK");
    } catch (rollbackError) {
      throw new LabError("ComponentFailed", `rollback failed (${describeError(rollbackError)}) after: ${describeError(error)}`, {
        cause: error,
        details: { rollbackError: describeError(rollbackError) },
        retriable: true,
      });
    }
    throw error;
  }
  await client.query("COMMIT");
  return result;
}

/** A pooled client for one transaction; a client whose rollback failed is destroyed, not reused. */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let discard = false;
  try {
    return await inTransaction(client, () => work(client));
  } catch (error) {
    discard = error instanceof LabError && error.details["rollbackError"] !== undefined;
    throw error;
  } finally {
    client.release(discard);
  }
}

/**
 * A pooled client for statements that are each a transaction of their own (autocommit): no
 * BEGIN or COMMIT to pay for. An error the server reported leaves the session clean, since its
 * implicit transaction ended with the statement; a client whose connection broke is no longer
 * queryable, and the pool drops it on release.
 */
export async function withClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await work(client);
  } finally {
    client.release();
  }
}
