import type { JsonValue } from "./event-journal.ts";
import { statementName } from "./journal-schema.ts";
import type { JournalSchema } from "./journal-schema.ts";
import type { Queryable } from "./queryable.ts";
import type { Snapshot } from "./snapshot-store.ts";

interface SnapshotRow {
  stream_id: string;
  stream_version: number;
  schema_version: number;
  state: JsonValue;
  taken_at: string;
}

export async function loadSnapshot(db: Queryable, schema: JournalSchema, streamId: string): Promise<Snapshot | null> {
  const result = await db.query<SnapshotRow>({
    name: statementName(schema, "load-snapshot"),
    text: `SELECT stream_id, stream_version, schema_version, state,
            to_char(taken_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS taken_at
     FROM ${schema.snapshots} WHERE stream_id = $1`,
    values: [streamId],
  });
  const row = result.rows[0];
  if (row === undefined) return null;
  return {
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    schemaVersion: row.schema_version,
    state: row.state,
    takenAt: row.taken_at,
  };
}
