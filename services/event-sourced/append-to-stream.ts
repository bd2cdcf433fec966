import { randomUUID } from "node:crypto";
import type { ClientBase } from "pg";
import { LabError } from "../platform/errors.ts";
import type { AppendResult, ExpectedVersion, NewEvent } from "./event-journal.ts";
import { eventColumns, toRecordedEvent } from "./event-row.ts";
import type { EventRow } from "./event-row.ts";
import type { JournalSchema } from "./journal-schema.ts";
import { readStreamVersion } from "./read-stream-version.ts";
import { StreamVersionConflict } from "./stream-version-conflict.ts";
import type { UpcasterRegistry } from "./upcasters.ts";

const UNIQUE_VIOLATION = "23505";
const STREAM_VERSION_CONSTRAINT = "events_stream_version_unique";

/**
 * Appends `events` to the end of a stream, inside the caller's open transaction: every event or
 * none. The version check reads the stream's last version; two writers that pass it together
 * then collide on the (stream_id, stream_version) unique index, and the second one gets the same
 * `StreamVersionConflict` as a late reader would. The notification is transactional too, so a
 * listener is woken only once the events can be read.
 */
export async function appendToStream(
  client: ClientBase,
  schema: JournalSchema,
  upcasters: UpcasterRegistry,
  streamId: string,
  expectedVersion: ExpectedVersion,
  events: readonly NewEvent[],
): Promise<AppendResult> {
  checkArguments(streamId, expectedVersion, events);
  if (expectedVersion === "any") {
    // "any" must not fail on concurrency, so its writers queue per stream instead of racing;
    // writers with an expected version stay lock-free and let the unique index arbitrate.
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`cdc-es-lab.stream:${streamId}`]);
  }
  const current = await readStreamVersion(client, schema, streamId);
  const expected = expectedVersion === "no_stream" ? 0 : expectedVersion;
  if (expected !== "any" && expected !== current) {
    throw new StreamVersionConflict(streamId, expectedVersion, current);
  }
  if (events.length === 0) return { nextExpectedVersion: current, events: [] };

  let rows: EventRow[];
  try {
    const result = await client.query<EventRow>(
      `INSERT INTO ${schema.events} (stream_id, stream_version, event_id, event_type, schema_version, data, metadata)
       SELECT $1, $2::int + e.ordinal::int, e.event_id, e.event_type, e.schema_version, e.data, e.metadata
       FROM unnest($3::uuid[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[])
            WITH ORDINALITY AS e(event_id, event_type, schema_version, data, metadata, ordinal)
       ORDER BY e.ordinal
       RETURNING ${eventColumns}`,
      [
        streamId,
        current,
        events.map((event) => event.eventId ?? randomUUID()),
        events.map((event) => event.type),
        events.map((event) => event.schemaVersion ?? 1),
        events.map((event) => JSON.stringify(event.data)),
        events.map((event) => JSON.stringify(event.metadata)),
      ],
    );
    rows = result.rows;
  } catch (error) {
    if (isStreamVersionCollision(error)) {
      // Another transaction committed at least one event since our read; the exact version is
      // unknown inside this now-aborted transaction, so report the smallest it can be.
      throw new StreamVersionConflict(streamId, expectedVersion, current + 1, { cause: error });
    }
    throw error;
  }
  const recorded = rows.map((row) => toRecordedEvent(row, upcasters)).sort((a, b) => a.streamVersion - b.streamVersion);
  const last = recorded[recorded.length - 1];
  await client.query("SELECT pg_notify($1, $2)", [schema.channel, last?.globalPosition ?? ""]);
  return { nextExpectedVersion: current + events.length, events: recorded };
}

function checkArguments(streamId: string, expectedVersion: ExpectedVersion, events: readonly NewEvent[]): void {
  const problems: string[] = [];
  if (streamId.length === 0) problems.push("streamId must not be empty");
  if (typeof expectedVersion === "number" && !(Number.isInteger(expectedVersion) && expectedVersion >= 0)) {
    problems.push(`expectedVersion must be an integer >= 0, "no_stream" or "any", got ${expectedVersion}`);
  }
  events.forEach((event, index) => {
    if (event.type.length === 0) problems.push(`events[${index}].type must not be empty`);
    const version = event.schemaVersion ?? 1;
    if (!(Number.isInteger(version) && version >= 1)) problems.push(`events[${index}].schemaVersion must be an integer >= 1`);
  });
  if (problems.length > 0) {
    throw new LabError("UsageInvalid", `cannot append to ${streamId || "a stream"}: ${problems.join("; ")}`, {
      details: { streamId, problems },
    });
  }
}

function isStreamVersionCollision(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return code === UNIQUE_VIOLATION && constraint === STREAM_VERSION_CONSTRAINT;
}
