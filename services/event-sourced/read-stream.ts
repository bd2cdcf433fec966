import type { ReadStreamOptions, RecordedEvent } from "./event-journal.ts";
import { eventColumns, toRecordedEvent } from "./event-row.ts";
import type { EventRow } from "./event-row.ts";
import { statementName } from "./journal-schema.ts";
import type { JournalSchema } from "./journal-schema.ts";
import type { Queryable } from "./queryable.ts";
import type { UpcasterRegistry } from "./upcasters.ts";

/**
 * One stream in version order. `toRecordedAt` cuts at the last version recorded by then rather
 * than filtering each row by its time, so the result is always a prefix of the stream even if
 * the clock stepped back between two appends.
 */
export async function readStream(
  db: Queryable,
  schema: JournalSchema,
  upcasters: UpcasterRegistry,
  streamId: string,
  options: ReadStreamOptions = {},
): Promise<RecordedEvent[]> {
  const result = await db.query<EventRow>({
    name: statementName(schema, "read-stream"),
    text: `SELECT ${eventColumns}
     FROM ${schema.events}
     WHERE stream_id = $1
       AND stream_version >= $2
       AND ($3::int IS NULL OR stream_version <= $3)
       AND ($4::timestamptz IS NULL OR stream_version <= (
             SELECT coalesce(max(stream_version), 0) FROM ${schema.events}
             WHERE stream_id = $1 AND recorded_at <= $4::timestamptz))
     ORDER BY stream_version`,
    values: [streamId, options.fromVersion ?? 1, options.toVersion ?? null, options.toRecordedAt ?? null],
  });
  return result.rows.map((row) => toRecordedEvent(row, upcasters));
}
