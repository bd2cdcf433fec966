import { observationNames } from "../../model/observations.ts";

/**
 * storage.footprint's figures. Every `...PerOp` is the least-squares slope of that place's bytes
 * over the operations applied, measured at three sizes: what one more business operation costs
 * there. Places a design does not have are not recorded (null when read).
 */
export const OBS = observationNames({
  /** Operations that wrote (accepted commands) when the largest size was measured. */
  operations: ["count", "number"],
  /** Everything the design keeps: tables, indexes and (CDC) topic bytes on disk. The headline. */
  storedBytesPerOp: ["bytes", "number"],
  /** Heap + TOAST of every table in the subject's schema. */
  tableBytesPerOp: ["bytes", "number"],
  /** Every index of those tables. */
  indexBytesPerOp: ["bytes", "number"],
  /** WAL records of the subject's own relations and transactions (pg_walinspect), whoever else writes to the cluster. */
  walBytesPerOp: ["bytes", "number"],
  /** WAL positions' difference around the subject's commands: every writer on the cluster meanwhile counts. */
  clusterWalBytesPerOp: ["bytes", "number"],
  /** How walBytesPerOp was measured: "pg_walinspect", or why it could not be. */
  walAccounting: ["id", "text"],
  /** CDC: bytes on disk of the subject's topics, as the brokers account for them. */
  kafkaBytesPerOp: ["bytes", "number"],
  /** Journal: the events table (heap + TOAST). */
  journalBytesPerOp: ["bytes", "number"],
  /** Journal: the events table's indexes. */
  journalIndexBytesPerOp: ["bytes", "number"],
  /** Journal: snapshots (table + indexes). */
  snapshotBytesPerOp: ["bytes", "number"],
  /** Journal: the read model and its checkpoint (tables + indexes). */
  projectionBytesPerOp: ["bytes", "number"],
  /** CRUD: carts, cart_items, cart_discounts (tables + indexes). */
  stateBytesPerOp: ["bytes", "number"],
  /** CRUD: the outbox table (table + indexes). */
  outboxBytesPerOp: ["bytes", "number"],
  /** Stored bytes (as storedBytesPerOp sums them) against operations, one point per size. */
  storedBytes: ["bytes", "curve"],
  /** The subject's own WAL (pg_walinspect) against operations. */
  walBytes: ["bytes", "curve"],
  kafkaBytes: ["bytes", "curve"],
  /** CDC: the replication slot still active after Connect reported the paused task PAUSED. */
  pausedTaskHoldsSlot: ["boolean", "boolean"],
  /** CDC: growth of the WAL the stopped connector's slot retains, per operation written meanwhile. */
  slotWalRetainedPerOp: ["bytes", "number"],
  /** CDC: WAL the slot retained when the writes while stopped ended. */
  slotRetainedBytes: ["bytes", "number"],
  /** CDC: pg_replication_slots.wal_status then (reserved, extended, unreserved, lost). */
  slotWalStatus: ["id", "text"],
  /** CDC: whether invalidation by max_slot_wal_keep_size was measured, and if not, why. */
  slotInvalidation: ["id", "text"],
  /** CDC: after RESUME, the topics hold every change written while the connector was stopped. */
  historyCompleteAfterResume: ["boolean", "boolean"],
});
