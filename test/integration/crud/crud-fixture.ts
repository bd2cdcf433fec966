import type { Knex } from "knex";
import type pg from "pg";
import { createCrudKnex } from "../../../services/crud-cdc/crud/create-crud-knex.ts";
import { crudTableNames } from "../../../services/crud-cdc/crud/crud-tables.ts";
import { migrateCrudSchema } from "../../../services/crud-cdc/crud/migrate-crud-schema.ts";
import type { ReplicaIdentity } from "../../../services/crud-cdc/crud/migrate-crud-schema.ts";
import { stack } from "../support/stack.ts";
import { uniqueName } from "../support/test-lab.ts";

export interface CrudFixture {
  schema: string;
  knex: Knex;
  /** Every row of the four tables, in key order: equal before and after means nothing was written. */
  tableContents(): Promise<Record<string, unknown[]>>;
  close(): Promise<void>;
}

/** Design 1's tables in a fresh schema of the real lab database; `close` drops it. */
export async function createCrudFixture(
  prefix: string,
  options: { maxConnections?: number; replicaIdentity?: ReplicaIdentity } = {},
): Promise<CrudFixture> {
  const schema = uniqueName(prefix);
  const knex = createCrudKnex({ postgresUrl: stack().postgresUrl, maxConnections: options.maxConnections ?? 10 });
  await migrateCrudSchema(knex, { schema, replicaIdentity: options.replicaIdentity ?? "default" });
  const keyOrder: Record<string, string> = {
    [crudTableNames.carts]: "cart_id",
    [crudTableNames.cartItems]: "cart_id, sku",
    [crudTableNames.cartDiscounts]: "cart_id, discount_id",
    [crudTableNames.outbox]: "id",
  };
  return {
    schema,
    knex,
    async tableContents() {
      const contents: Record<string, unknown[]> = {};
      for (const [table, order] of Object.entries(keyOrder)) {
        const result = await knex.raw<{ rows: { row: unknown }[] }>(
          `SELECT to_jsonb(t) AS row FROM "${schema}"."${table}" t ORDER BY ${order}`,
        );
        contents[table] = result.rows.map((row) => row.row);
      }
      return contents;
    },
    async close() {
      await knex.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await knex.destroy();
    },
  };
}

/** One transaction as test_decoding prints it: BEGIN, its changes and messages, COMMIT. */
export interface DecodedTransaction {
  xid: string;
  lines: string[];
}

export interface DecodingSlot {
  /** Transactions committed since the slot was made (or last read), in commit order. */
  changes(): Promise<DecodedTransaction[]>;
  drop(): Promise<void>;
}

const flushPrefix = "cdc-es-lab.test-flush";

/**
 * A temporary test_decoding slot on `client`'s session: it sees every change committed after it
 * was created, in commit order, which is how a test proves what reached the WAL (and what not).
 */
export async function openDecodingSlot(client: pg.Client): Promise<DecodingSlot> {
  const slot = uniqueName("crud_slot");
  await client.query("SELECT pg_create_logical_replication_slot($1, 'test_decoding', true)", [slot]);
  return {
    async changes() {
      // Logical decoding reads only flushed WAL, and the lab runs with synchronous_commit = off,
      // so the latest commits may not be flushed yet. A transaction that writes WAL and commits
      // with synchronous_commit on flushes everything up to its own commit.
      await client.query("BEGIN");
      await client.query("SET LOCAL synchronous_commit = on");
      await client.query("SELECT pg_logical_emit_message(true, $1, '')", [flushPrefix]);
      await client.query("COMMIT");
      const result = await client.query<{ xid: string; data: string }>(
        "SELECT xid::text AS xid, data FROM pg_logical_slot_get_changes($1, NULL, NULL, 'include-xids', '1', 'skip-empty-xacts', '0')",
        [slot],
      );
      // Empty transactions are kept by the plugin and dropped here: with skip-empty-xacts on,
      // test_decoding prints a message that comes before a transaction's first row change ahead
      // of its BEGIN, which would hide where the message really is.
      const transactions: DecodedTransaction[] = [];
      for (const row of result.rows) {
        if (row.data.startsWith("BEGIN") || transactions.at(-1)?.xid !== row.xid) transactions.push({ xid: row.xid, lines: [] });
        transactions.at(-1)?.lines.push(row.data);
      }
      return transactions.filter(
        (transaction) => transaction.lines.length > 2 && !transaction.lines.some((line) => line.includes(`prefix: ${flushPrefix},`)),
      );
    },
    async drop() {
      await client.query("SELECT pg_drop_replication_slot($1)", [slot]);
    },
  };
}

/** The logical decoding messages of one decoded transaction. */
export function decodedMessages(transaction: DecodedTransaction): { transactional: boolean; prefix: string; content: string }[] {
  return transaction.lines.flatMap((line) => {
    const match = /^message: transactional: (\d) prefix: (.*), sz: \d+ content:(.*)$/s.exec(line);
    return match ? [{ transactional: match[1] === "1", prefix: match[2] ?? "", content: match[3] ?? "" }] : [];
  });
}
