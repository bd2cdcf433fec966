import type { Pool } from "pg";
import { journalSchema } from "./journal-schema.ts";
import { loadSnapshot } from "./load-snapshot.ts";
import { saveSnapshot } from "./save-snapshot.ts";
import type { SnapshotStore } from "./snapshot-store.ts";

export interface PostgresSnapshotStoreDeps {
  pool: Pool;
  schema: string;
}

/** The `SnapshotStore` in the journal's schema (`snapshots` table). */
export function createPostgresSnapshotStore(deps: PostgresSnapshotStoreDeps): SnapshotStore {
  const schema = journalSchema(deps.schema);
  return {
    save: (snapshot) => saveSnapshot(deps.pool, schema, snapshot),
    load: (streamId) => loadSnapshot(deps.pool, schema, streamId),
  };
}
