import type { Pool } from "pg";
import { openPersonalData, sealPersonalData } from "./journal-personal-data.ts";
import type { PersonalDataMode } from "./journal-personal-data.ts";
import { journalSchema } from "./journal-schema.ts";
import { loadSnapshot } from "./load-snapshot.ts";
import { saveSnapshot } from "./save-snapshot.ts";
import type { SnapshotStore } from "./snapshot-store.ts";

export interface PostgresSnapshotStoreDeps {
  pool: Pool;
  schema: string;
  /** As the journal's: `encrypted` (default) seals the customer in the snapshot's state too. */
  personalData?: PersonalDataMode;
}

/** The `SnapshotStore` in the journal's schema (`snapshots` table), sealing personal data as the journal does. */
export function createPostgresSnapshotStore(deps: PostgresSnapshotStoreDeps): SnapshotStore {
  const schema = journalSchema(deps.schema);
  const personalData = deps.personalData ?? "encrypted";
  return {
    // A snapshot is a copy of the events: it must not keep in clear what the events seal.
    save: async (snapshot) => saveSnapshot(deps.pool, schema, { ...snapshot, state: await sealPersonalData(deps.pool, schema, snapshot.state, personalData) }),
    load: async (streamId) => {
      const snapshot = await loadSnapshot(deps.pool, schema, streamId);
      return snapshot === null ? null : { ...snapshot, state: await openPersonalData(deps.pool, schema, snapshot.state) };
    },
  };
}
