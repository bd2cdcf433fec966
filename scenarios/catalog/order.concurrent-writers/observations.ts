import { observationNames } from "../../model/observations.ts";

/**
 * What order.concurrent-writers measures, per subject. Declared once: steps, judge, tests and
 * report read these. The counts marked "timing" are races: the same seed gives the same
 * commands, not the same interleaving, so two runs may count differently (docs page).
 */
export const OBS = observationNames({
  // Part 1: N writers adding one unit each to the same line of a cart.
  /** AddItems the subject acknowledged with ok: each should have raised the line by one. */
  writesAcknowledged: ["count", "number"],
  /** Acknowledged AddItems whose unit is missing from the final line quantities. */
  lostUpdates: ["count", "number", "timing"],
  /** AddItems the rules rejected: neither acknowledged nor lost (none is expected). A command the infrastructure failed fails the subject instead. */
  writesRejected: ["count", "number"],
  /** The journal's optimistic-concurrency conflicts, each retried on a fresh load (es only). */
  conflictsRetried: ["count", "number", "timing"],

  // Part 2: the journal's global order, with a slow append held open while fast ones commit.
  /** Events committed during part 2 (the slow appends included). */
  globalEventsCommitted: ["count", "number"],
  /** Committed events a `position > last` poller never returned. */
  naivePollerSkipped: ["count", "number"],
  /** Committed events the safe reader (below pg_snapshot_xmin) never returned. */
  safeReaderSkipped: ["count", "number"],

  // Part 3: what a downstream consumer shows while commands touching several tables commit.
  /** Distinct cart views the subject's per-table consumer (cdc) or projection (es) showed. */
  viewsShown: ["count", "number", "timing"],
  /** Of those, the views that were never a committed state of the cart. */
  tornViews: ["count", "number", "timing"],
  /** Distinct cart views the transaction-grouped consumer showed (cdc with transaction metadata). */
  groupedViewsShown: ["count", "number", "timing"],
  /** Of those, the views that were never a committed state of the cart. */
  groupedTornViews: ["count", "number", "timing"],
  /** Transactions the grouped consumer applied whole. */
  transactionsGrouped: ["count", "number", "timing"],
  /** Row change events that carried Debezium's `transaction` block (0: nothing to group by). */
  eventsWithTransactionBlock: ["count", "number", "timing"],
  /** Projection batches that ended inside one append's events (es). */
  appendsSplitByBatch: ["count", "number", "timing"],
  /** Projection batches that committed while part 3 ran (es). */
  projectionBatches: ["count", "number", "timing"],
  /** Probe (es): appends of many events each that a projection batch boundary split. */
  probeAppendsSplit: ["count", "number", "timing"],
  /** Probe (es): distinct views of the probe carts the read model showed that were never committed. */
  probeTornViews: ["count", "number", "timing"],

  /**
   * The headline: what a user of the subject would see go wrong, summed: acknowledged writes
   * lost, cart states shown that never existed (by the best consumer the subject's records
   * allow, and in the journal's probe), committed events its global reader skipped.
   */
  anomalies: ["count", "number", "timing"],
});
