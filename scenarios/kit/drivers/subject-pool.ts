import pg from "pg";
import { describeError } from "../../../services/platform/errors.ts";
import type { DriverContext } from "./driver-context.ts";
import { SUBJECT_POOL_SIZE } from "./driver-context.ts";

/**
 * A subject's connection pool. node-postgres emits `error` on the pool when an idle connection
 * dies (PostgreSQL restarted, killed): without a listener that event ends the process. The
 * listener only logs; the next query on the pool fails with an error the step reports.
 */
export function createSubjectPool(context: DriverContext, subject: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: context.endpoints.postgresUrl, max: SUBJECT_POOL_SIZE });
  pool.on("error", (error) => context.logger.warn({ subject, err: describeError(error) }, "an idle PostgreSQL connection was lost"));
  return pool;
}
