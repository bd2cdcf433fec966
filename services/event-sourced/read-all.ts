import type { ReadAllOptions, ReadAllResult } from "./event-journal.ts";
import { eventColumns, toRecordedEvent } from "./event-row.ts";
import type { EventRow } from "./event-row.ts";
import { checkpoint } from "./global-checkpoint.ts";
import { statementName } from "./journal-schema.ts";
import type { JournalSchema } from "./journal-schema.ts";
import type { Queryable } from "./queryable.ts";
import type { UpcasterRegistry } from "./upcasters.ts";

/**
 * Every stream in global order, safe against late commits. A sequence hands out positions at
 * insert time but rows become visible at commit, so a reader that remembers "the highest
 * position seen" skips the lower position of a transaction still in flight. Here only rows of
 * transactions older than the oldest one still running (`pg_snapshot_xmin`) are read: those have
 * all committed or aborted, so nothing can appear behind the checkpoint later. The price: one
 * long-running transaction anywhere in the cluster holds every reader back until it ends.
 *
 * A batch never ends inside a transaction: `limit` is where a batch may end, and when it falls
 * inside one append the rest of that append comes too. A projection commits its read model once
 * per batch, so a batch cut inside an append would show a state that was never committed (half of
 * an atomic append of many events). One append larger than `limit` comes whole, in one batch.
 */
export async function readAll(
  db: Queryable,
  schema: JournalSchema,
  upcasters: UpcasterRegistry,
  options: ReadAllOptions,
): Promise<ReadAllResult> {
  // The ORDER BY names are qualified on purpose: `eventColumns` re-exposes transaction_id and
  // global_position as text, and a bare output-column name in ORDER BY sorts by that text
  // ("10" < "9"), out of step with the numeric WHERE, so the checkpoint would repeat or skip rows.
  const result = await db.query<EventRow>({
    name: statementName(schema, "read-all"),
    text: `SELECT ${eventColumns}
     FROM ${schema.events} AS e
     WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
       AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY e.transaction_id, e.global_position
     LIMIT $3`,
    values: [options.after.transactionId, options.after.globalPosition, options.limit],
  });
  const rows = result.rows;
  const lastRow = rows[rows.length - 1];
  if (lastRow !== undefined && rows.length === options.limit) {
    const rest = await db.query<EventRow>({
      name: statementName(schema, "read-all-rest"),
      text: `SELECT ${eventColumns}
       FROM ${schema.events} AS e
       WHERE e.transaction_id = $1::xid8 AND e.global_position > $2::bigint
       ORDER BY e.global_position`,
      values: [lastRow.transaction_id, lastRow.global_position],
    });
    rows.push(...rest.rows);
  }
  const events = rows.map((row) => toRecordedEvent(row, upcasters));
  const last = events[events.length - 1];
  return { events, checkpoint: last === undefined ? options.after : checkpoint(last.transactionId, last.globalPosition) };
}
