import { statementName } from "./journal-schema.ts";
import type { JournalSchema } from "./journal-schema.ts";
import type { Queryable } from "./queryable.ts";
import type { NewSnapshot } from "./snapshot-store.ts";

/**
 * Upserts a stream's snapshot. Two writers that snapshot concurrently must not let the older
 * state win, so a stored snapshot is replaced only by a later version, or by any version in
 * another state shape (a deploy that changed the shape makes the stored one unreadable anyway).
 */
export async function saveSnapshot(db: Queryable, schema: JournalSchema, snapshot: NewSnapshot): Promise<boolean> {
  const result = await db.query({
    name: statementName(schema, "save-snapshot"),
    text: `INSERT INTO ${schema.snapshots} AS s (stream_id, stream_version, schema_version, state)
     VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (stream_id) DO UPDATE
       SET stream_version = EXCLUDED.stream_version,
           schema_version = EXCLUDED.schema_version,
           state = EXCLUDED.state,
           taken_at = clock_timestamp()
       WHERE s.stream_version < EXCLUDED.stream_version OR s.schema_version <> EXCLUDED.schema_version`,
    values: [snapshot.streamId, snapshot.streamVersion, snapshot.schemaVersion, JSON.stringify(snapshot.state)],
  });
  return result.rowCount === 1;
}
