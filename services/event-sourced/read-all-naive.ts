import type { RecordedEvent } from "./event-journal.ts";
import { eventColumns, toRecordedEvent } from "./event-row.ts";
import type { EventRow } from "./event-row.ts";
import { statementName } from "./journal-schema.ts";
import type { JournalSchema } from "./journal-schema.ts";
import type { Queryable } from "./queryable.ts";
import type { UpcasterRegistry } from "./upcasters.ts";

/**
 * The poller everyone writes first: "give me what comes after the highest position I saw". It
 * is wrong under concurrency (see read-all.ts) and exists so the lab can count what it misses.
 */
export async function readAllNaive(
  db: Queryable,
  schema: JournalSchema,
  upcasters: UpcasterRegistry,
  afterPosition: string,
  limit: number,
): Promise<RecordedEvent[]> {
  const result = await db.query<EventRow>({
    name: statementName(schema, "read-all-naive"),
    // Qualified: a bare global_position in ORDER BY would sort the text column eventColumns exposes.
    text: `SELECT ${eventColumns} FROM ${schema.events} AS e WHERE e.global_position > $1::bigint ORDER BY e.global_position LIMIT $2`,
    values: [afterPosition, limit],
  });
  return result.rows.map((row) => toRecordedEvent(row, upcasters));
}
