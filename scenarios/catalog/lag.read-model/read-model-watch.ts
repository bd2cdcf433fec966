import type { CartView } from "../../../services/cart/index.ts";
import type { Logger } from "../../../services/platform/logger.ts";
import { byDesign } from "../../kit/drivers/subject-driver.ts";
import type { SubjectDriver } from "../../kit/drivers/subject-driver.ts";
import { watchCdcReadModel } from "./cdc-read-model-watch.ts";
import type { VisibleTransaction } from "./match-writes.ts";
import { watchProjection } from "./projection-watch.ts";
import type { ReadPosition } from "./read-position.ts";

/**
 * A subject's read model, kept up to date in the background while the load runs, and what it
 * reports of its own progress. Visibility times come from the feeder itself (the consumer's
 * handler after each applied change, the projection after each committed pass), so nothing polls
 * the read model to learn them: a poller would add the very load and delay it measures.
 */
export interface ReadModelWatch {
  /** What feeds it, for the docs and the evidence. */
  readonly feeder: string;
  /** One read of the read model for a cart: how far it has come (read-your-writes). */
  readPosition(cartId: string): Promise<ReadPosition>;
  /** The cart as the read model shows it. */
  view(cartId: string): Promise<CartView | null>;
  /**
   * Waits (bounded) for a defined end state, the read model has applied everything the source
   * holds, then returns each cart's transactions in commit order with when each became visible.
   */
  settle(): Promise<Map<string, VisibleTransaction[]>>;
  /**
   * When the feeder was working (the consumer's handler applying a change; a projection pass
   * that found events), in order: busy nearly all the time means the feeder, not the source,
   * sets the lag.
   */
  busy(): readonly BusyInterval[];
  /** Stops feeding; resolves once the feeder has stopped. */
  stop(): Promise<void>;
}

export interface BusyInterval {
  startedAt: number;
  finishedAt: number;
}

/** The share (0–100) of [from, to] that the intervals cover; null for an empty window. */
export function busyPercent(intervals: readonly BusyInterval[], from: number, to: number): number | null {
  if (to <= from) return null;
  let covered = 0;
  for (const { startedAt, finishedAt } of intervals) covered += Math.max(0, Math.min(finishedAt, to) - Math.max(startedAt, from));
  return Math.round((1000 * Math.min(covered, to - from)) / (to - from)) / 10;
}

/** Starts the subject's read model; null for a design that has none apart from its tables. */
export function watchReadModel(driver: SubjectDriver, logger: Logger): Promise<ReadModelWatch> | null {
  return byDesign<Promise<ReadModelWatch> | null>(driver, {
    es: (journal) => watchProjection(journal),
    crud: () => null,
    cdc: (cdc) => watchCdcReadModel(cdc, logger),
  });
}
