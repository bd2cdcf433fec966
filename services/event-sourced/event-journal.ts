import type { GlobalCheckpoint } from "./global-checkpoint.ts";
import type { Snapshot } from "./snapshot-store.ts";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * What the stream's version must be for an append to go through: a number (the version of its
 * last event; 0 for a stream that has none), `"no_stream"` (same as 0) or `"any"` (no check).
 */
export type ExpectedVersion = number | "no_stream" | "any";

export interface NewEvent {
  type: string;
  data: JsonObject;
  metadata: JsonObject;
  /** The shape `data` has; 1 when absent. Readers upcast older shapes. */
  schemaVersion?: number;
  /** Given by the caller when it must know the id in advance; generated otherwise. */
  eventId?: string;
}

export interface RecordedEvent {
  globalPosition: string;
  transactionId: string;
  streamId: string;
  /** 1 for a stream's first event. */
  streamVersion: number;
  eventId: string;
  type: string;
  /** The shape of `data` as returned, after upcasting. */
  schemaVersion: number;
  /** The shape the row holds in the journal, which upcasting never changes. */
  storedSchemaVersion: number;
  data: JsonObject;
  metadata: JsonObject;
  /**
   * ISO-8601 with PostgreSQL's microseconds: a JS `Date` would round them away, and feeding such
   * a time back to `toRecordedAt` would then miss the very event it came from.
   */
  recordedAt: string;
}

export interface AppendResult {
  /** The stream's version after the append: the expected version of the next one. */
  nextExpectedVersion: number;
  events: RecordedEvent[];
}

export interface ReadStreamOptions {
  /** First version to return (inclusive); 1 when absent. */
  fromVersion?: number;
  /** Last version to return (inclusive). */
  toVersion?: number;
  /** ISO-8601 time: only the events recorded up to then. */
  toRecordedAt?: string;
}

export interface StreamFromSnapshot {
  /** The stream's latest snapshot at or below `toVersion`; null when there is none. */
  snapshot: Snapshot | null;
  /** The events after the snapshot (from version 1 without one), up to `toVersion`, in version order. */
  events: RecordedEvent[];
}

export interface ReadAllOptions {
  /** Exclusive: the checkpoint of the last event already handled. */
  after: GlobalCheckpoint;
  limit: number;
}

export interface ReadAllResult {
  events: RecordedEvent[];
  /** The last returned event's checkpoint, or `after` when nothing was returned. */
  checkpoint: GlobalCheckpoint;
}

/**
 * The event-sourced design's store. Streams are appended with optimistic concurrency (a
 * mismatch throws `StreamVersionConflict` and writes nothing); `readAll` walks every stream in
 * an order that never skips a late-committing transaction.
 */
export interface EventJournal {
  appendToStream(streamId: string, expectedVersion: ExpectedVersion, events: readonly NewEvent[]): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * What loading an aggregate needs, in one read: the snapshot (as `SnapshotStore.load` gives it)
   * and the events after it. Optional: a journal that keeps its snapshots beside its events
   * answers it in one round trip; without it, `loadCart` asks the `SnapshotStore`, then
   * `readStream`. A journal that has it must read the snapshots its `SnapshotStore` writes.
   */
  readStreamFromSnapshot?(streamId: string, options?: { toVersion?: number }): Promise<StreamFromSnapshot>;
  /** The stream's current version; 0 when it has no events. */
  streamVersion(streamId: string): Promise<number>;
  readAll(options: ReadAllOptions): Promise<ReadAllResult>;
  /**
   * `global_position > afterPosition`: the obvious poller, kept only to show that it skips an
   * event whose transaction commits after a later position was read. Never use it to project.
   */
  readAllNaive(afterPosition: string, limit: number): Promise<RecordedEvent[]>;
}
