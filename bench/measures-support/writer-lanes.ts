import type { Measure } from "../harness/benchmark.ts";
import type { Repeated } from "../harness/repeat.ts";

/**
 * Writers side by side, each doing its own operations one after another: how every throughput
 * measure of the suite loads PostgreSQL, so "8 writers" means the same thing in each.
 */
/** The writer counts every throughput measure is taken at: one, and eight (four per core here). */
export const WRITER_COUNTS = [1, 8] as const;

export type Lanes<T> = readonly (readonly T[])[];

/** `count` operations dealt round-robin to `writers` lanes. */
export function dealOperations(count: number, writers: number): Lanes<number> {
  const lanes: number[][] = Array.from({ length: writers }, () => []);
  for (let operation = 0; operation < count; operation += 1) lanes[operation % writers]?.push(operation);
  return lanes;
}

/** Items grouped by a key into `writers` lanes (a cart's commands stay in one lane, so writers never wait on each other's locks). */
export function lanesByKey<T>(items: readonly T[], writers: number, keyOf: (item: T) => string): Lanes<T> {
  const lanes: T[][] = Array.from({ length: writers }, () => []);
  for (const item of items) {
    let hash = 0;
    for (const char of keyOf(item)) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
    lanes[hash % writers]?.push(item);
  }
  return lanes;
}

/**
 * Runs every lane at once, each lane's operations in order; resolves with operations per second.
 * A failing operation stops every lane before its next operation, and the first failure is
 * thrown once all lanes have stopped, so nothing still writes while the caller cleans up.
 */
export async function runLanes<T>(lanes: Lanes<T>, operate: (item: T, lane: number) => Promise<unknown>): Promise<number> {
  const operations = lanes.reduce((sum, lane) => sum + lane.length, 0);
  let failed = false;
  const startedAt = performance.now();
  const outcomes = await Promise.allSettled(
    lanes.map(async (lane, index) => {
      for (const item of lane) {
        if (failed) return;
        try {
          await operate(item, index);
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    }),
  );
  const elapsedMs = performance.now() - startedAt;
  const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
  if (failure !== undefined) throw failure.reason;
  return operations / (elapsedMs / 1000);
}

/** A measure's per-operation settings from what the warm-up counted: round trips and statements to PostgreSQL, and milliseconds. */
export function perOperationSettings(perOperation: Repeated["perOperation"]): { roundTripsPerOperation: number; statementsPerOperation: number; msPerOperation: number } {
  const round = (value: number) => Math.round(value * 100) / 100;
  return { roundTripsPerOperation: round(perOperation.roundTrips), statementsPerOperation: round(perOperation.statements), msPerOperation: Math.round(perOperation.ms * 1000) / 1000 };
}

/** The measure with the warm-up's statement profile: where an operation's time went. */
export function profiled(measure: Measure, repeated: Repeated): Measure {
  return { ...measure, profile: repeated.profile };
}
