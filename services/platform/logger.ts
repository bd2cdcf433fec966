import pino from "pino";
import type { Logger } from "pino";

export type { Logger };

/**
 * Logs are structured JSON on stderr, so stdout stays for results (`status --json`, `state`, ...).
 * Each component takes a child: `logger.child({ component: "kafka" })`.
 */
export function createLogger(level: string): Logger {
  return pino({ level, base: undefined }, pino.destination({ fd: 2, sync: true }));
}
