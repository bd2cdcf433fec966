import type { Pool } from "pg";
import { LabError } from "../platform/errors.ts";
import { appendToStream } from "./append-to-stream.ts";
import type { AppendResult, EventJournal, ExpectedVersion, NewEvent, RecordedEvent } from "./event-journal.ts";
import { openRecordedEvents, sealNewEvents } from "./journal-personal-data.ts";
import type { PersonalDataMode } from "./journal-personal-data.ts";
import { journalSchema } from "./journal-schema.ts";
import type { JournalSchema } from "./journal-schema.ts";
import { readAllNaive } from "./read-all-naive.ts";
import { readAll } from "./read-all.ts";
import { readStreamVersion } from "./read-stream-version.ts";
import { readStream } from "./read-stream.ts";
import { StreamVersionConflict } from "./stream-version-conflict.ts";
import { withTransaction } from "./transaction.ts";
import { noUpcasters } from "./upcasters.ts";
import type { UpcasterRegistry } from "./upcasters.ts";

export interface PostgresEventJournalDeps {
  pool: Pool;
  /** The schema `migrateJournal` created. */
  schema: string;
  upcasters?: UpcasterRegistry;
  /** How appends store a customer's personal data; default `encrypted`. Reads open either. */
  personalData?: PersonalDataMode;
}

// "any" writers queue on a lock, but a writer with an expected version does not take it and can
// still take the next version first; each retry reads the new end of the stream.
const ANY_VERSION_ATTEMPTS = 10;

/** The `EventJournal` over PostgreSQL (`pg`), one transaction per append. */
export function createPostgresEventJournal(deps: PostgresEventJournalDeps): EventJournal {
  const schema = journalSchema(deps.schema);
  const upcasters = deps.upcasters ?? noUpcasters;
  const personalData = deps.personalData ?? "encrypted";
  const { pool } = deps;
  const opened = (events: RecordedEvent[]) => openRecordedEvents(pool, schema, events);
  return {
    appendToStream: (streamId, expectedVersion, events) => append(pool, schema, upcasters, personalData, streamId, expectedVersion, events),
    readStream: async (streamId, options) => opened(await readStream(pool, schema, upcasters, streamId, options)),
    streamVersion: (streamId) => readStreamVersion(pool, schema, streamId),
    readAll: async (options) => {
      checkLimit(options.limit);
      const result = await readAll(pool, schema, upcasters, options);
      return { ...result, events: await opened(result.events) };
    },
    readAllNaive: async (afterPosition, limit) => {
      checkLimit(limit);
      return opened(await readAllNaive(pool, schema, upcasters, afterPosition, limit));
    },
  };
}

async function append(
  pool: Pool,
  schema: JournalSchema,
  upcasters: UpcasterRegistry,
  personalData: PersonalDataMode,
  streamId: string,
  expectedVersion: ExpectedVersion,
  events: readonly NewEvent[],
): Promise<AppendResult> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await withTransaction(pool, async (client) => {
        // Sealed in the append's transaction: a new customer's key commits with the first event under it.
        const sealed = await sealNewEvents(client, schema, events, personalData);
        const result = await appendToStream(client, schema, upcasters, streamId, expectedVersion, sealed);
        return { ...result, events: await openRecordedEvents(client, schema, result.events) };
      });
    } catch (error) {
      if (!(error instanceof StreamVersionConflict)) throw error;
      if (expectedVersion === "any" && attempt < ANY_VERSION_ATTEMPTS) continue;
      // Inside the aborted transaction the winner's version was unknown; now it can be read.
      const actual = await readStreamVersion(pool, schema, streamId);
      throw new StreamVersionConflict(streamId, expectedVersion, Math.max(actual, error.actual), { cause: error.cause });
    }
  }
}

function checkLimit(limit: number): void {
  if (!(Number.isInteger(limit) && limit >= 1)) {
    throw new LabError("UsageInvalid", `read limit must be an integer >= 1, got ${limit}`, { details: { limit } });
  }
}
