import pg from "pg";
import { createCartUpcasters } from "../../../services/event-sourced/cart-upcasters.ts";
import type { EventJournal } from "../../../services/event-sourced/event-journal.ts";
import { migrateJournal } from "../../../services/event-sourced/migrate-journal.ts";
import { createPostgresEventJournal } from "../../../services/event-sourced/postgres-event-journal.ts";
import { createPostgresSnapshotStore } from "../../../services/event-sourced/postgres-snapshot-store.ts";
import type { SnapshotStore } from "../../../services/event-sourced/snapshot-store.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { stack } from "../support/stack.ts";
import { uniqueName } from "../support/test-lab.ts";

export interface JournalFixture {
  schema: string;
  pool: pg.Pool;
  journal: EventJournal;
  snapshots: SnapshotStore;
  /** A connection of its own, for transactions the test holds open. */
  connect(): Promise<pg.PoolClient>;
  /**
   * Returns a held connection, ending any transaction a failed test left open on it: an open
   * transaction would hold back every safe reader and block dropping the schema.
   */
  release(client: pg.PoolClient): Promise<void>;
  /** Resolves once `count` sessions wait on a lock in a statement that names this journal's schema. */
  lockWaiters(count: number): Promise<void>;
  close(): Promise<void>;
}

/** A journal in a fresh schema of the real lab database; `close` drops it. */
export async function createJournalFixture(prefix: string, options: { poolSize?: number } = {}): Promise<JournalFixture> {
  const schema = uniqueName(prefix);
  const pool = new pg.Pool({ connectionString: stack().postgresUrl, max: options.poolSize ?? 20 });
  const client = await pool.connect();
  try {
    await migrateJournal(client, schema);
  } finally {
    client.release();
  }
  return {
    schema,
    pool,
    journal: createPostgresEventJournal({ pool, schema, upcasters: createCartUpcasters() }),
    snapshots: createPostgresSnapshotStore({ pool, schema }),
    connect: () => pool.connect(),
    async release(client) {
      try {
        await client.query("ROLLBACK");
        client.release();
      } catch (error) {
        client.release(error instanceof Error ? error : true);
        throw error;
      }
    },
    async lockWaiters(count) {
      await waitFor(
        async () => {
          const result = await pool.query<{ waiting: number }>(
            `SELECT count(*)::int AS waiting FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND position($1 in query) > 0`,
            [`"${schema}"`],
          );
          return (result.rows[0]?.waiting ?? 0) >= count ? true : undefined;
        },
        { what: `${count} session(s) waiting on a lock in ${schema}`, timeoutMs: 10_000, intervalMs: 20 },
      );
    },
    async close() {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    },
  };
}
