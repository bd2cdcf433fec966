/**
 * A change event: one Debezium record, decoded. These types are what the CDC design's
 * consumers see; nothing about Kafka clients or JSON converters leaks past the change feed.
 */
export type Row = Record<string, unknown>;

/** Where a record sits in Kafka: what a consumer commits, and what a poison-message error names. */
export interface ChangePosition {
  topic: string;
  partition: number;
  /** Kafka offsets are 64-bit; kept as a decimal string. */
  offset: string;
}

export interface ChangeSource {
  /** The WAL position of the change; increases with commit order within one database. */
  lsn: number;
  /** The writing transaction; null for non-transactional logical messages. */
  txId: number | null;
  /** Commit time in the database (epoch ms). */
  committedAt: number;
  /** True for rows read by the initial snapshot (op `r`). */
  snapshot: boolean;
  database: string;
  schema: string | null;
  table: string | null;
}

export type RowOp = "c" | "u" | "d" | "r";

export interface RowChangeEvent {
  kind: "row";
  op: RowOp;
  key: Row | null;
  /** Absent (null) for inserts, and for updates of a table whose REPLICA IDENTITY is DEFAULT. */
  before: Row | null;
  after: Row | null;
  source: ChangeSource;
  /** When Debezium processed the change (epoch ms); `emittedAt - source.committedAt` is its lag. */
  emittedAt: number;
  position: ChangePosition;
}

/** A `pg_logical_emit_message` captured by Debezium (op `m`): how intent can travel with CDC. */
export interface MessageChangeEvent {
  kind: "message";
  op: "m";
  prefix: string;
  /** The message content, decoded as UTF-8. */
  content: string;
  source: ChangeSource;
  emittedAt: number;
  position: ChangePosition;
}

/** The null-value record Debezium writes after a delete so that compaction can drop the key. */
export interface TombstoneChangeEvent {
  kind: "tombstone";
  key: Row | null;
  position: ChangePosition;
}

export type ChangeEvent = RowChangeEvent | MessageChangeEvent | TombstoneChangeEvent;
