import type { Logger } from "../../../services/platform/logger.ts";
import type { StackEndpoints } from "../../../services/runtime/runtime.ts";

/** What every driver needs of the run: where the stack is, where to log, how long to wait for it. */
export interface DriverContext {
  endpoints: StackEndpoints;
  logger: Logger;
  readyTimeoutMs: number;
}

/** Connections per subject: a scenario's concurrent writers share them. */
export const SUBJECT_POOL_SIZE = 10;
