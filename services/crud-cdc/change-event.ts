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

/**
 * Where a change event sits in its transaction, when the connector runs with
 * `provide.transaction.metadata`: the block Debezium adds to every data event. Absent otherwise.
 */
export interface ChangeTransaction {
  /**
   * Debezium's id as written. On PostgreSQL (3.x) it reads `<txId>:<lsn>` with the LSN of the
   * event itself, so the events of one transaction carry different ids, and BEGIN and END
   * differ too: a consumer groups by `txId`, never by the whole id.
   */
  id: string;
  /** The PostgreSQL transaction, the part of `id` before the colon. */
  txId: number;
  /** 1-based position among all of the transaction's events (logical messages included). */
  totalOrder: number;
  /** 1-based position among the transaction's events of the same table (data collection). */
  dataCollectionOrder: number;
}

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
  /** Present only when the connector provides transaction metadata. */
  transaction?: ChangeTransaction;
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
  /** Present only when the connector provides transaction metadata. */
  transaction?: ChangeTransaction;
}

/** The null-value record Debezium writes after a delete so that compaction can drop the key. */
export interface TombstoneChangeEvent {
  kind: "tombstone";
  key: Row | null;
  position: ChangePosition;
}

export type ChangeEvent = RowChangeEvent | MessageChangeEvent | TombstoneChangeEvent;

/** How many events of one table (Debezium's "data collection", `schema.table`) a transaction wrote. */
export interface DataCollectionCount {
  /** `schema.table` for a table; for logical messages Debezium writes an internal object name. */
  dataCollection: string;
  eventCount: number;
}

/**
 * A record of Debezium's transaction metadata topic (`<prefix>.transaction`): BEGIN when a
 * transaction starts streaming, END once all its events were handed to Kafka, with how many
 * there are per table. It is not a change event: it describes a group of them. Its topic has
 * one partition, so ENDs arrive in commit order.
 */
export interface TransactionBoundary {
  kind: "transaction";
  status: "BEGIN" | "END";
  /** Debezium's id as written (`<txId>:<lsn>`; see `ChangeTransaction.id`). */
  id: string;
  /** The PostgreSQL transaction the boundary belongs to. */
  txId: number;
  /** END only: every event of the transaction, logical messages included. null on BEGIN. */
  eventCount: number | null;
  /** END only: the events per data collection. null on BEGIN. */
  dataCollections: DataCollectionCount[] | null;
  /** Commit time (epoch ms) as Debezium reports it; null where the record has none. */
  committedAt: number | null;
  position: ChangePosition;
}
