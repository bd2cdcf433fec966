import { randomUUID } from "node:crypto";
import type { ClientBase } from "pg";
import { LabError } from "../platform/errors.ts";
import { STREAM_VERSION_CONFLICT_SQLSTATE, appendFunctionName } from "./append-function.ts";
import type { AppendResult, ExpectedVersion, NewEvent } from "./event-journal.ts";
import { eventColumns, toRecordedEvent } from "./event-row.ts";
import type { EventRow } from "./event-row.ts";
import { statementName } from "./journal-schema.ts";
import type { JournalSchema } from "./journal-schema.ts";
import { readStreamVersion } from "./read-stream-version.ts";
import { StreamVersionConflict } from "./stream-version-conflict.ts";
import type { UpcasterRegistry } from "./upcasters.ts";

/**
 * Appends `events` to the end of a stream: every event or none, in one call of the journal's
 * append function (append-function.ts), which checks the version, inserts, and notifies. Inside
 * the caller's open transaction it is part of it; without one it is a transaction of its own.
 * A stream not at the expected version, also one a rival writer moved on after the check, is a
 * `StreamVersionConflict` with the version the stream was found at.
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
  const expected = expectedVersion === "no_stream" ? 0 : expectedVersion;
  if (events.length === 0) {
    // Nothing to write, nothing to notify: the append is only its version check, one read answers it.
    const current = await readStreamVersion(client, schema, streamId);
    if (expected !== "any" && expected !== current) throw new StreamVersionConflict(streamId, expectedVersion, current);
    return { nextExpectedVersion: current, events: [] };
  }
  let rows: EventRow[];
  try {
    const result = await client.query<EventRow>({
      name: statementName(schema, "append"),
      text: `SELECT ${eventColumns}
             FROM ${appendFunctionName(schema)}($1, $2::int, $3::uuid[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[])`,
      values: [
        streamId,
        expected === "any" ? null : expected,
        events.map((event) => event.eventId ?? randomUUID()),
        events.map((event) => event.type),
        events.map((event) => event.schemaVersion ?? 1),
        events.map((event) => JSON.stringify(event.data)),
        events.map((event) => JSON.stringify(event.metadata)),
      ],
    });
    rows = result.rows;
  } catch (error) {
    const actual = conflictVersion(error);
    if (actual !== null) throw new StreamVersionConflict(streamId, expectedVersion, actual, { cause: error });
    throw error;
  }
  const recorded = rows.map((row) => toRecordedEvent(row, upcasters)).sort((a, b) => a.streamVersion - b.streamVersion);
  const last = recorded[recorded.length - 1];
  return { nextExpectedVersion: last?.streamVersion ?? 0, events: recorded };
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

/** The stream's actual version when `error` is the append function's conflict; null for any other error. */
function conflictVersion(error: unknown): number | null {
  if (typeof error !== "object" || error === null) return null;
  const { code, detail } = error as { code?: unknown; detail?: unknown };
  if (code !== STREAM_VERSION_CONFLICT_SQLSTATE) return null;
  if (typeof detail !== "string" || !/^\d+$/.test(detail)) {
    throw new LabError("DecodeFailed", `the append function's conflict carries no version (detail ${JSON.stringify(detail)})`, {
      cause: error,
      details: { detail },
    });
  }
  return Number(detail);
}
