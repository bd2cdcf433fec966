import { setTimeout as delay } from "node:timers/promises";
import { LabError, describeError } from "./errors.ts";

export interface WaitForOptions {
  /** What is awaited, for the timeout message. */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Extra context for the timeout error (e.g. the last log lines of a component). */
  onTimeout?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
}

/**
 * Polls `probe` until it returns a value other than `undefined`, within a bound. A probe that
 * throws a non-retriable LabError stops the wait at once (e.g. a connector reported FAILED);
 * other throws count as "not yet" and the last one is reported on timeout.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined>, options: WaitForOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const intervalMs = options.intervalMs ?? 200;
  let lastProblem: string | null = null;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      lastProblem = null;
    } catch (error) {
      if (error instanceof LabError && !error.retriable) throw error;
      lastProblem = describeError(error);
    }
    if (Date.now() >= deadline) {
      const extra = options.onTimeout ? await options.onTimeout() : {};
      throw new LabError("Timeout", `timed out after ${options.timeoutMs} ms waiting for ${options.what}${lastProblem ? ` (last: ${lastProblem})` : ""}`, {
        details: { what: options.what, timeoutMs: options.timeoutMs, lastProblem, ...extra },
        retriable: true,
      });
    }
    await delay(intervalMs);
  }
}
