import { waitFor } from "../../../services/platform/wait-for.ts";

const preciseNow = (): number => performance.timeOrigin + performance.now();

/**
 * A time (epoch ms) that no commit shares: everything committed before the call is at or before
 * it, and everything after the call is strictly later. Debezium's commit times are whole
 * milliseconds, so "state at T" has one right answer only once the clock has passed T; this
 * waits (bounded, polling the clock) instead of sleeping.
 */
export async function markTime(): Promise<number> {
  const mark = Math.ceil(preciseNow());
  await waitFor(async () => (preciseNow() > mark + 1.5 ? true : undefined), { what: "the clock to pass the marked time", timeoutMs: 1_000, intervalMs: 1 });
  return mark;
}

/** Waits, without sleeping, until the clock reads at least `at` (epoch ms). */
export async function waitForClock(at: number, what: string): Promise<void> {
  await waitFor(async () => (preciseNow() >= at ? true : undefined), { what, timeoutMs: Math.max(1_000, at - preciseNow() + 5_000), intervalMs: 50 });
}

export function ageMs(at: number): number {
  return Math.round(preciseNow() - at);
}
