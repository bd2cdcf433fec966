import type { ChangeEvent } from "../../../services/crud-cdc/change-event.ts";

/**
 * What makes two change events the same change: where it was written in the WAL (its LSN, unique
 * per change record), in which table, for which row. Debezium redelivers a change after a crash
 * with the same source block and a new Kafka offset, so this, not the Kafka position, is what a
 * deduplicating consumer keys on. Tombstones carry no source: they follow their delete.
 */
export function sourcePositionOf(event: ChangeEvent): string | null {
  switch (event.kind) {
    case "row":
      return `${event.source.schema ?? ""}.${event.source.table ?? ""}@${event.source.lsn}#${JSON.stringify(sortedRow(event.key))}`;
    case "message":
      return `message:${event.prefix}@${event.source.lsn}`;
    case "tombstone":
      return null;
    default: {
      const unknown: never = event;
      throw new Error(`unknown change event ${JSON.stringify(unknown)}`);
    }
  }
}

/** Where a record sits in Kafka: a consumer that did not commit it gets this very position again. */
export function kafkaPositionOf(event: ChangeEvent): string {
  return `${event.position.topic}/${event.position.partition}@${event.position.offset}`;
}

function sortedRow(row: Record<string, unknown> | null): [string, unknown][] | null {
  return row === null ? null : Object.keys(row).sort().map((column) => [column, row[column]]);
}

export interface DuplicateCount {
  /** Records with a source position. */
  records: number;
  /** Records whose source position an earlier record already had. */
  duplicates: number;
  /** The same, per topic, in topic order. */
  byTopic: { topic: string; records: number; duplicates: number }[];
}

/** Counts the records of the topics that repeat a change already on them. */
export function countDuplicates(events: readonly ChangeEvent[]): DuplicateCount {
  const seen = new Set<string>();
  const byTopic = new Map<string, { topic: string; records: number; duplicates: number }>();
  for (const event of events) {
    const position = sourcePositionOf(event);
    if (position === null) continue;
    const topic = byTopic.get(event.position.topic) ?? { topic: event.position.topic, records: 0, duplicates: 0 };
    byTopic.set(topic.topic, topic);
    topic.records += 1;
    if (seen.has(position)) topic.duplicates += 1;
    else seen.add(position);
  }
  const topics = [...byTopic.values()].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  return {
    records: topics.reduce((sum, topic) => sum + topic.records, 0),
    duplicates: topics.reduce((sum, topic) => sum + topic.duplicates, 0),
    byTopic: topics,
  };
}

/** Change events (first copies) whose LSN is past `lsn`: what a worker resuming from an offset at `lsn` sends again. */
export function changesAfter(events: readonly ChangeEvent[], lsn: number): number {
  const seen = new Set<string>();
  let after = 0;
  for (const event of events) {
    const position = sourcePositionOf(event);
    if (position === null || event.kind === "tombstone" || seen.has(position)) continue;
    seen.add(position);
    if (event.source.lsn > lsn) after += 1;
  }
  return after;
}
