import { statementName } from "./journal-schema.ts";
import type { JournalSchema } from "./journal-schema.ts";
import type { Queryable } from "./queryable.ts";

/** The version of the stream's last event; 0 for a stream with none. */
export async function readStreamVersion(db: Queryable, schema: JournalSchema, streamId: string): Promise<number> {
  const result = await db.query<{ version: number }>({
    name: statementName(schema, "stream-version"),
    text: `SELECT coalesce(max(stream_version), 0)::int AS version FROM ${schema.events} WHERE stream_id = $1`,
    values: [streamId],
  });
  return result.rows[0]?.version ?? 0;
}
