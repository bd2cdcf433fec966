import type { ChangeEvent } from "../../../services/crud-cdc/change-event.ts";
import { partitionOf, recordsBelow } from "../../kit/topic-cleanup.ts";

/**
 * The state one pass of Kafka's log cleaner leaves on a compacted topic: below the offsets where
 * the measured size ended (every segment there closed by the size's closing commands), each key
 * is kept once. Counts the records such a pass would still remove; 0 is that state.
 *
 * Not the kit's `compactionOutstanding`, which also waits for tombstones to go: the cleaner drops
 * them only in a later pass, after `delete.retention.ms`, and a later pass needs more writes
 * closing more segments. This scenario's workload is fixed (the same operations in every run),
 * so it waits for the state its own writes lead to; tombstones still kept are bytes on disk.
 */
export function supersededRecords(events: readonly ChangeEvent[], ends: ReadonlyMap<string, bigint>, compactedTopics: ReadonlySet<string>): number {
  const seen = new Set<string>();
  let superseded = 0;
  for (const event of recordsBelow(events, ends)) {
    // A logical message has no key and is never compacted.
    if (!compactedTopics.has(event.position.topic) || event.kind === "message") continue;
    const key = `${partitionOf(event)}:${JSON.stringify(event.key)}`;
    if (seen.has(key)) superseded += 1;
    else seen.add(key);
  }
  return superseded;
}
