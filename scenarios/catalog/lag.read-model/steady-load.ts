import { setTimeout as pacing } from "node:timers/promises";
import { LabError } from "../../../services/platform/errors.ts";

/** What a load at a scheduled rate achieved. */
export interface SteadyLoad {
  issued: number;
  /** Commands over the time from the first scheduled start to the last answer, per second. */
  perSecond: number;
  /** The latest a command started after its scheduled time (ms). */
  maxIssueDelayMs: number;
}

/**
 * Issues `items` at a fixed rate: item i is due at start + i / rate, whatever happened to the
 * earlier ones (an open loop, as users arrive), except that items of one lane (one cart) wait
 * for the one before them, so a cart never has two commands in flight and the rules see them
 * in workload order. A subject that cannot keep up shows it as issue delay and a carried rate
 * below the schedule, not as a slower schedule.
 *
 * The timer here is the load's schedule, the input of the question, not a wait for a state:
 * nothing is waited for by time.
 */
export async function runSteadyLoad<T>(
  items: readonly T[],
  options: { ratePerSecond: number; laneOf: (item: T) => string; signal?: AbortSignal },
  issue: (item: T, index: number) => Promise<void>,
): Promise<SteadyLoad> {
  const intervalMs = 1_000 / options.ratePerSecond;
  const startAt = Date.now();
  const lanes = new Map<string, Promise<void>>();
  const inFlight: Promise<void>[] = [];
  let failure: { error: unknown } | null = null;
  let maxIssueDelayMs = 0;
  let lastAnswerAt = startAt;
  let started = 0;
  const stopped = (): boolean => {
    if (options.signal?.aborted === true) failure ??= { error: new LabError("Interrupted", `the load was interrupted after ${started} of ${items.length} commands`) };
    return failure !== null;
  };
  for (const [index, item] of items.entries()) {
    if (stopped()) break;
    const dueAt = startAt + index * intervalMs;
    const early = dueAt - Date.now();
    if (early > 0) await pacing(early);
    const lane = options.laneOf(item);
    const next = (lanes.get(lane) ?? Promise.resolve()).then(async () => {
      if (stopped()) return;
      started += 1;
      maxIssueDelayMs = Math.max(maxIssueDelayMs, Date.now() - dueAt);
      try {
        await issue(item, index);
      } catch (error) {
        // Kept, not swallowed: the schedule stops and the first failure is thrown below.
        failure ??= { error };
      }
      lastAnswerAt = Math.max(lastAnswerAt, Date.now());
    });
    lanes.set(lane, next);
    inFlight.push(next);
  }
  await Promise.all(inFlight);
  if (failure !== null) throw (failure as { error: unknown }).error;
  const seconds = Math.max(lastAnswerAt - startAt, 1) / 1_000;
  return { issued: started, perSecond: Math.round((10 * started) / seconds) / 10, maxIssueDelayMs };
}
