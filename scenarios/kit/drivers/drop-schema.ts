import type pg from "pg";
import { describeError } from "../../../services/platform/errors.ts";

/** Drops a subject's schema; resolves with a problem to report instead of throwing, so the rest of the cleanup still runs. */
export async function dropSchema(pool: pg.Pool, schema: string): Promise<string[]> {
  try {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    return [];
  } catch (error) {
    return [`drop schema ${schema}: ${describeError(error)}`];
  }
}

/** Ends a pool; a failure to end is reported, not thrown. */
export async function endPool(pool: { end(): Promise<void> }, what: string): Promise<string[]> {
  try {
    await pool.end();
    return [];
  } catch (error) {
    return [`close ${what}: ${describeError(error)}`];
  }
}
