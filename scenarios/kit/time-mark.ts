import { waitFor } from "../../services/platform/wait-for.ts";

/**
 * Times here are the wall clock (`Date.now()`), the clock PostgreSQL stamps `recorded_at` and
 * commit times with. Not `performance.now()`: on these machines the monotonic clock drifts from
 * the wall clock by milliseconds per second, which put "state at T" probes on the wrong side of
 * commits.
 */

/**
 * A time (epoch ms) that no commit shares: everything committed before the call is strictly
 * before it, and everything after the call is at least a millisecond later (Debezium's commit
 * times are whole milliseconds). Waits for the clock, bounded, instead of sleeping.
 */
export async function markTime(): Promise<number> {
  // Date.now() floors the current instant, so +1 is later than anything that already happened.
  const mark = Date.now() + 1;
  await waitFor(async () => (Date.now() > mark ? true : undefined), { what: "the clock to pass the marked time", timeoutMs: 1_000, intervalMs: 1 });
  return mark;
}

/** Waits, without sleeping, until the clock reads at least `at` (epoch ms). */
export async function waitForClock(at: number, what: string): Promise<void> {
  await waitFor(async () => (Date.now() >= at ? true : undefined), { what, timeoutMs: Math.max(1_000, at - Date.now() + 5_000), intervalMs: 50 });
}

export function ageMs(at: number): number {
  return Date.now() - at;
}
