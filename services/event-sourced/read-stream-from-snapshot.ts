import type { JsonValue, StreamFromSnapshot } from "./event-journal.ts";
import { eventColumns, toRecordedEvent } from "./event-row.ts";
import type { EventRow } from "./event-row.ts";
import { statementName } from "./journal-schema.ts";
import type { JournalSchema } from "./journal-schema.ts";
import type { Queryable } from "./queryable.ts";
import type { UpcasterRegistry } from "./upcasters.ts";

interface SnapshotColumns {
  snapshot_version: number | null;
  snapshot_schema_version: number | null;
  snapshot_state: JsonValue;
  snapshot_taken_at: string | null;
}

type NoEvent = { [column in keyof EventRow]: null };

/**
 * A stream's latest snapshot at or below `toVersion` and the events after it, in one statement:
 * loading an aggregate costs one round trip instead of two. The snapshot rides on the row of the
 * first event after it (the FULL JOIN), so its state crosses the wire once; it comes alone when
 * no event follows it, and every row has it null when there is none. Whether the snapshot is
 * usable is the caller's to judge (`decodeCartSnapshot`); one it sets aside costs a second read.
 */
export async function readStreamFromSnapshot(
  db: Queryable,
  schema: JournalSchema,
  upcasters: UpcasterRegistry,
  streamId: string,
  options: { toVersion?: number } = {},
): Promise<StreamFromSnapshot> {
  const result = await db.query<SnapshotColumns & (EventRow | NoEvent)>({
    name: statementName(schema, "read-from-snapshot"),
    text: `WITH snapshot AS (
             SELECT stream_version AS snapshot_version, schema_version AS snapshot_schema_version, state AS snapshot_state,
                    to_char(taken_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS snapshot_taken_at
             FROM ${schema.snapshots}
             WHERE stream_id = $1 AND ($2::int IS NULL OR stream_version <= $2::int)
           ), later AS (
             SELECT ${eventColumns}
             FROM ${schema.events}
             WHERE stream_id = $1
               AND stream_version > coalesce((SELECT snapshot_version FROM snapshot), 0)
               AND ($2::int IS NULL OR stream_version <= $2::int)
           )
           SELECT * FROM snapshot FULL JOIN later ON later.stream_version = snapshot.snapshot_version + 1
           ORDER BY later.stream_version NULLS FIRST`,
    values: [streamId, options.toVersion ?? null],
  });
  let snapshot: StreamFromSnapshot["snapshot"] = null;
  const events: StreamFromSnapshot["events"] = [];
  for (const row of result.rows) {
    if (row.snapshot_version !== null && row.snapshot_schema_version !== null && row.snapshot_taken_at !== null) {
      snapshot = {
        streamId,
        streamVersion: row.snapshot_version,
        schemaVersion: row.snapshot_schema_version,
        state: row.snapshot_state,
        takenAt: row.snapshot_taken_at,
      };
    }
    if (row.global_position !== null) events.push(toRecordedEvent(row, upcasters));
  }
  return { snapshot, events };
}
