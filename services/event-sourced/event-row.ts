import { LabError, describeError } from "../platform/errors.ts";
import type { JsonObject, RecordedEvent } from "./event-journal.ts";
import type { UpcasterRegistry } from "./upcasters.ts";

/**
 * The select list every journal read uses. Positions and transaction ids come back as text
 * (they exceed 2^53), and the time as UTC ISO-8601 with microseconds.
 */
export const eventColumns = `
  global_position::text AS global_position,
  transaction_id::text AS transaction_id,
  stream_id,
  stream_version,
  event_id::text AS event_id,
  event_type,
  schema_version,
  data,
  metadata,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at`;

export interface EventRow {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  stream_version: number;
  event_id: string;
  event_type: string;
  schema_version: number;
  data: JsonObject;
  metadata: JsonObject;
  recorded_at: string;
}

export function toRecordedEvent(row: EventRow, upcasters: UpcasterRegistry): RecordedEvent {
  let current: { schemaVersion: number; data: JsonObject };
  try {
    current = upcasters.upcast({ type: row.event_type, schemaVersion: row.schema_version, data: row.data });
  } catch (error) {
    throw new LabError(
      "DecodeFailed",
      `cannot upcast ${row.event_type} v${row.schema_version} at ${row.stream_id}@${row.stream_version} ` +
        `(global position ${row.global_position}): ${describeError(error)}`,
      {
        cause: error,
        details: {
          streamId: row.stream_id,
          streamVersion: row.stream_version,
          globalPosition: row.global_position,
          eventType: row.event_type,
          schemaVersion: row.schema_version,
        },
      },
    );
  }
  return {
    globalPosition: row.global_position,
    transactionId: row.transaction_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    eventId: row.event_id,
    type: row.event_type,
    schemaVersion: current.schemaVersion,
    storedSchemaVersion: row.schema_version,
    data: current.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
  };
}
