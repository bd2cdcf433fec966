import type { ChangeEvent } from "../../services/crud-cdc/change-event.ts";
import { waitFor } from "../../services/platform/wait-for.ts";
import type { CdcDriver } from "./drivers/subject-driver.ts";

/**
 * What Kafka's log cleaner (compaction) and retention have done to a CDC subject's topics, and
 * waits for the end state of each, read through the broker (the topics read from their oldest
 * kept record). A wait for "some records removed" would stop wherever the cleaner happened to
 * be; these wait for a state that depends on the records alone, so the same seed gives the
 * same figures whatever the machine's speed.
 */

/** Per "topic/partition": the offset after the last record of interest (what Kafka calls the end). */
export type PartitionEnds = Map<string, bigint>;

export function partitionOf(event: ChangeEvent): string {
  return `${event.position.topic}/${event.position.partition}`;
}

export function endOffsets(events: readonly ChangeEvent[]): PartitionEnds {
  const ends: PartitionEnds = new Map();
  for (const event of events) {
    const next = BigInt(event.position.offset) + 1n;
    if ((ends.get(partitionOf(event)) ?? 0n) < next) ends.set(partitionOf(event), next);
  }
  return ends;
}

/** The records of `events` below `ends` (a partition without an end has none). */
export function recordsBelow(events: readonly ChangeEvent[], ends: ReadonlyMap<string, bigint>): ChangeEvent[] {
  return events.filter((event) => BigInt(event.position.offset) < (ends.get(partitionOf(event)) ?? 0n));
}

/**
 * Records Kafka no longer holds among the offsets below `ends` (without ends, everything up to
 * the last record read). Offsets stay where they were when compaction drops a record, so each
 * missing offset is one record the history lost.
 */
export function recordsRemoved(events: readonly ChangeEvent[], ends?: ReadonlyMap<string, bigint>): number {
  const bounds = ends ?? endOffsets(events);
  const kept = new Map<string, bigint>();
  for (const event of recordsBelow(events, bounds)) kept.set(partitionOf(event), (kept.get(partitionOf(event)) ?? 0n) + 1n);
  let removed = 0n;
  for (const [partition, end] of bounds) removed += end - (kept.get(partition) ?? 0n);
  return Number(removed);
}

/**
 * Whether every delete the read holds is followed by its tombstone (Debezium writes the delete,
 * then a null-value record under the same key). Only then does the read end where Debezium's
 * writes for the streamed changes end: a read between the two would put the tombstone after
 * the end, and a later count would depend on that race.
 */
export function deletesHaveTombstones(events: readonly ChangeEvent[]): boolean {
  const tombstoned = new Map<string, bigint>();
  for (const event of events) if (event.kind === "tombstone") tombstoned.set(keyOf(event), BigInt(event.position.offset));
  return events.every((event) => event.kind !== "row" || event.op !== "d" || (tombstoned.get(keyOf(event)) ?? -1n) > BigInt(event.position.offset));
}

/**
 * How many records below `ends` a finished cleaner would still remove: the end state of
 * compaction keeps, of each key, only its latest record, and nothing of a key whose latest
 * record is a delete or its tombstone (removed once `delete.retention.ms` has passed). That end
 * state depends on the records alone; 0 means the cleaner reached it. A record without a key
 * (a logical message) is never compacted.
 */
export function compactionOutstanding(events: readonly ChangeEvent[], ends: ReadonlyMap<string, bigint>): number {
  const below = recordsBelow(events, ends);
  const latest = new Map<string, ChangeEvent>();
  let survivors = 0;
  for (const event of below) {
    if (event.kind === "message") survivors += 1;
    else latest.set(keyOf(event), event);
  }
  for (const event of latest.values()) if (event.kind === "row" && event.op !== "d") survivors += 1;
  return below.length - survivors;
}

/** Records still kept that were committed before `at` (epoch ms); tombstones carry no commit time and follow their delete. */
export function recordsCommittedBefore(events: readonly ChangeEvent[], at: number): number {
  return events.filter((event) => event.kind !== "tombstone" && event.source.committedAt < at).length;
}

export interface CompactionWait {
  /** The topics as read once the cleaner reached its end state below the ends. */
  events: ChangeEvent[];
  waitedMs: number;
}

/**
 * Waits (bounded) until Kafka's log cleaner has compacted everything below `ends` to its end
 * state (`compactionOutstanding` is 0). The cleaner never touches a partition's active segment,
 * and a segment closes only when a record arrives after `segment.ms`: `keepWriting` is the live
 * shop's other traffic that closes them, called before each look.
 */
export async function waitForCompaction(cdc: CdcDriver, ends: ReadonlyMap<string, bigint>, options: { keepWriting: () => Promise<void>; timeoutMs: number }): Promise<CompactionWait> {
  const startedAt = Date.now();
  let outstanding: number | null = null;
  const events = await waitFor(
    async () => {
      await options.keepWriting();
      const read = await cdc.readChangeEvents();
      outstanding = compactionOutstanding(read, ends);
      return outstanding === 0 ? read : undefined;
    },
    { what: `Kafka's log cleaner to finish compacting ${cdc.spec.id}'s topics`, timeoutMs: options.timeoutMs, intervalMs: 1_000, onTimeout: () => ({ recordsStillToRemove: outstanding }) },
  );
  return { events, waitedMs: Date.now() - startedAt };
}

/**
 * Whether the subject's connector follows each delete with a tombstone. The rule is
 * `cdcConnectorConfig`'s (services/crud-cdc/cdc-variant.ts: tombstones only where compaction
 * needs them); a driver property would say it without repeating it here.
 */
export function writesTombstones(cdc: CdcDriver): boolean {
  return cdc.spec.cdc.retention === "compacted";
}

/**
 * Waits (bounded) until a read of the topics is settled: where the connector writes tombstones,
 * every delete the read holds has its tombstone. Resolves with that read and its ends, the
 * offsets compaction is then measured below.
 */
export async function settledEnds(cdc: CdcDriver, timeoutMs: number): Promise<{ events: ChangeEvent[]; ends: PartitionEnds }> {
  const tombstones = writesTombstones(cdc);
  return waitFor(
    async () => {
      const events = await cdc.readChangeEvents();
      return !tombstones || deletesHaveTombstones(events) ? { events, ends: endOffsets(events) } : undefined;
    },
    { what: `every delete on ${cdc.spec.id}'s topics to have its tombstone`, timeoutMs, intervalMs: 500 },
  );
}

function keyOf(event: Exclude<ChangeEvent, { kind: "message" }>): string {
  return `${partitionOf(event)}:${JSON.stringify(event.key)}`;
}
