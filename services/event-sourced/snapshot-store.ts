import type { JsonValue } from "./event-journal.ts";

/** A stream's folded state at `streamVersion`, in the state shape `schemaVersion`. */
export interface Snapshot {
  streamId: string;
  streamVersion: number;
  schemaVersion: number;
  state: JsonValue;
  /** ISO-8601. */
  takenAt: string;
}

export type NewSnapshot = Omit<Snapshot, "takenAt">;

/**
 * The latest snapshot of each stream. Snapshots are a cache of the journal: losing or ignoring
 * one costs a longer fold, never correctness.
 */
export interface SnapshotStore {
  /** Keeps the newer of the stored and the given snapshot; true when the given one was stored. */
  save(snapshot: NewSnapshot): Promise<boolean>;
  load(streamId: string): Promise<Snapshot | null>;
}
