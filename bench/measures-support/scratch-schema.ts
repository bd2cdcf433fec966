import type pg from "pg";
import { describeError } from "../../services/platform/errors.ts";
import { createPostgresPool } from "../../services/platform/postgres-pool.ts";
import type { BenchContext } from "../harness/benchmark.ts";

/**
 * A schema of the benchmark's own (`<run>_<suffix>`) and a pool to it, dropped afterwards: the
 * raw baselines write plain tables there. What a failure leaves behind carries the run's name,
 * and the harness's sweep at the end of the run removes it.
 */
export interface Scratch {
  schema: string;
  pool: pg.Pool;
  /** The pool's size: every connection a measure of this scratch can use. */
  poolSize: number;
}

export async function withScratchSchema<T>(context: BenchContext, suffix: string, poolSize: number, work: (scratch: Scratch) => Promise<T>): Promise<T> {
  const schema = `${context.run}_${suffix}`;
  const pool = createPostgresPool({ connectionString: context.endpoints.postgresUrl, max: poolSize, logger: context.logger, name: schema });
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    await pool.query(`CREATE SCHEMA "${schema}"`);
    outcome = { ok: true, value: await work({ schema, pool, poolSize }) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  try {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } catch (error) {
    // The work's own failure is the one to report; the run's sweep retries the drop.
    if (outcome.ok) outcome = { ok: false, error };
    else context.logger.warn({ schema, err: describeError(error) }, "scratch schema not dropped; the run's sweep retries");
  } finally {
    await pool.end();
  }
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** `n` connections held for the whole measure, one per writer: a raw baseline pays no pool checkout per statement. */
export async function holdConnections<T>(pool: pg.Pool, n: number, work: (clients: pg.PoolClient[]) => Promise<T>): Promise<T> {
  const clients: pg.PoolClient[] = [];
  try {
    for (let index = 0; index < n; index += 1) clients.push(await pool.connect());
    return await work(clients);
  } finally {
    for (const client of clients) client.release();
  }
}
