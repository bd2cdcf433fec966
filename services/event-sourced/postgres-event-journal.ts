import type { Pool, PoolClient } from "pg";
import { LabError } from "../platform/errors.ts";
import { appendToStream } from "./append-to-stream.ts";
import type { AppendResult, EventJournal, ExpectedVersion, NewEvent, RecordedEvent } from "./event-journal.ts";
import { needsCustomerKeys, openRecordedEvents, openStreamFromSnapshot, sealNewEvents } from "./journal-personal-data.ts";
import type { PersonalDataMode } from "./journal-personal-data.ts";
import { journalSchema } from "./journal-schema.ts";
import type { JournalSchema } from "./journal-schema.ts";
import { readAllNaive } from "./read-all-naive.ts";
import { readAll } from "./read-all.ts";
import { readStreamVersion } from "./read-stream-version.ts";
import { readStreamFromSnapshot } from "./read-stream-from-snapshot.ts";
import { readStream } from "./read-stream.ts";
import { StreamVersionConflict } from "./stream-version-conflict.ts";
import { withClient, withTransaction } from "./transaction.ts";
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

/**
 * The `EventJournal` over PostgreSQL (`pg`). An append is one call of the journal's append
 * function, a transaction of its own; only one that must create a customer's key first runs
 * both in an explicit transaction, so the key commits with the first event sealed under it.
 */
export function createPostgresEventJournal(deps: PostgresEventJournalDeps): EventJournal {
  const schema = journalSchema(deps.schema);
  const upcasters = deps.upcasters ?? noUpcasters;
  const personalData = deps.personalData ?? "encrypted";
  const { pool } = deps;
  const opened = (events: RecordedEvent[]) => openRecordedEvents(pool, schema, events);
  return {
    appendToStream: (streamId, expectedVersion, events) => append(pool, schema, upcasters, personalData, streamId, expectedVersion, events),
    readStream: async (streamId, options) => opened(await readStream(pool, schema, upcasters, streamId, options)),
    readStreamFromSnapshot: async (streamId, options) =>
      openStreamFromSnapshot(pool, schema, await readStreamFromSnapshot(pool, schema, upcasters, streamId, options)),
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
  const work = async (client: PoolClient): Promise<AppendResult> => {
    const sealed = await sealNewEvents(client, schema, events, personalData);
    const result = await appendToStream(client, schema, upcasters, streamId, expectedVersion, sealed);
    return { ...result, events: await openRecordedEvents(client, schema, result.events) };
  };
  const keyed = needsCustomerKeys(events, personalData);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await (keyed ? withTransaction(pool, work) : withClient(pool, work));
    } catch (error) {
      // The conflict carries the version the append function found the stream at, also after a lost race.
      if (!(error instanceof StreamVersionConflict && expectedVersion === "any" && attempt < ANY_VERSION_ATTEMPTS)) throw error;
    }
  }
}

function checkLimit(limit: number): void {
  if (!(Number.isInteger(limit) && limit >= 1)) {
    throw new LabError("UsageInvalid", `read limit must be an integer >= 1, got ${limit}`, { details: { limit } });
  }
}
