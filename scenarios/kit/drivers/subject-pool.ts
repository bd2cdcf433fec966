import type pg from "pg";
import { createPostgresPool } from "../../../services/platform/postgres-pool.ts";
import type { DriverContext } from "./driver-context.ts";
import { SUBJECT_POOL_SIZE } from "./driver-context.ts";

/** A subject's connection pool: a lost connection fails the step that used it, never the process. */
export function createSubjectPool(context: DriverContext, subject: string): pg.Pool {
  return createPostgresPool({ connectionString: context.endpoints.postgresUrl, max: SUBJECT_POOL_SIZE, logger: context.logger, name: subject });
}
