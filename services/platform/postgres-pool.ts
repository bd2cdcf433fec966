import pg from "pg";
import { describeError } from "./errors.ts";
import type { Logger } from "./logger.ts";

/**
 * A node-postgres pool that survives its server going away. node-postgres emits `error` on the
 * pool for an idle connection that dies, and on the client for one that dies while checked out;
 * either event without a listener ends the process ("Unhandled 'error' event"). Here both are
 * logged, and the query in flight (or the next one) fails with an error its caller turns into a
 * result, as `apply` does with ComponentFailed.
 */
export function createPostgresPool(options: { connectionString: string; max: number; logger: Logger; name: string }): pg.Pool {
  const log = options.logger.child({ component: "postgres-pool", pool: options.name });
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.max });
  pool.on("error", (error) => log.warn({ err: describeError(error) }, "an idle PostgreSQL connection was lost"));
  pool.on("connect", (client) => {
    client.on("error", (error) => log.warn({ err: describeError(error) }, "a PostgreSQL connection in use was lost"));
  });
  return pool;
}

/** One short-lived connection for a few statements (a check, a cleanup), always closed after. */
export async function withPostgresClient<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
