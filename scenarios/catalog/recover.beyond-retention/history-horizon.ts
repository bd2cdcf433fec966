import type { CdcTransaction } from "../../../services/crud-cdc/cdc-history.ts";
import type { ChangeEvent } from "../../../services/crud-cdc/change-event.ts";
import { crudTableNames } from "../../../services/crud-cdc/crud/crud-tables.ts";

/**
 * How far back a CDC design's history still reaches, judged from the topics alone. A topic
 * whose oldest record is at offset 0 has lost nothing; one whose oldest record is later has lost
 * everything before it, so only changes committed after that record's commit are complete.
 * Epoch ms: −Infinity when every state topic is whole, +Infinity when a state topic holds
 * nothing at all (an empty topic cannot say whether it ever held anything).
 */
export function completeHistorySince(events: readonly ChangeEvent[], stateTopics: readonly string[]): number {
  let since = Number.NEGATIVE_INFINITY;
  for (const topic of stateTopics) {
    const partitions = new Map<number, ChangeEvent[]>();
    for (const event of events) {
      if (event.position.topic !== topic) continue;
      partitions.set(event.position.partition, [...(partitions.get(event.position.partition) ?? []), event]);
    }
    if (partitions.size === 0) return Number.POSITIVE_INFINITY;
    for (const records of partitions.values()) {
      const ordered = [...records].sort((a, b) => (BigInt(a.position.offset) < BigInt(b.position.offset) ? -1 : 1));
      if (ordered[0]?.position.offset === "0") continue;
      const oldestRow = ordered.find((event) => event.kind === "row");
      if (oldestRow === undefined || oldestRow.kind !== "row") return Number.POSITIVE_INFINITY;
      since = Math.max(since, oldestRow.source.committedAt);
    }
  }
  return since;
}

/**
 * Whether a cart's retained transactions are its whole history: the oldest one created its
 * carts row, and it committed after the point from which every state topic is complete (so no
 * earlier change of its lines or discounts can have been deleted either).
 */
export function wholeCartHistory(transactions: readonly CdcTransaction[], completeSince: number): boolean {
  const oldest = transactions[0];
  if (oldest === undefined || !(oldest.committedAt > completeSince)) return false;
  return oldest.changes.some((change) => change.table === crudTableNames.carts && (change.op === "c" || change.op === "r"));
}

/** The commit time of the oldest row change the topics still hold; null when they hold none. */
export function oldestRetainedCommit(events: readonly ChangeEvent[]): number | null {
  let oldest: number | null = null;
  for (const event of events) if (event.kind === "row") oldest = oldest === null ? event.source.committedAt : Math.min(oldest, event.source.committedAt);
  return oldest;
}
