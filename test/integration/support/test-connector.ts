import { debeziumPostgresConfig } from "../../../services/runtime/debezium-connector.ts";
import { waitForConnectorRunning } from "../../../services/runtime/lab-connector.ts";
import { connectClient, stack, withPostgres } from "./stack.ts";
import { uniqueName } from "./test-lab.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";

/** A throw-away Debezium connector over some tables, registered on the shared test stack. */
export interface TestConnector {
  name: string;
  topicPrefix: string;
  topicOf(table: string): string;
  messageTopic: string;
  remove(): Promise<void>;
}

export async function registerTestConnector(tables: string[], options: { messagePrefixes?: string[] } = {}): Promise<TestConnector> {
  const name = uniqueName("test");
  const topicPrefix = name;
  const slotName = `${name}_slot`;
  const publicationName = `${name}_pub`;
  const connect = connectClient();
  await connect.putConnectorConfig(
    name,
    debeziumPostgresConfig({
      database: stack().connectorDatabase,
      topicPrefix,
      slotName,
      publicationName,
      tables: tables.map((table) => `public.${table}`),
      snapshotMode: "initial",
      tombstonesOnDelete: false,
      messagePrefixes: options.messagePrefixes ?? [],
      dropSlotOnStop: true,
    }),
  );
  await waitForConnectorRunning(connect, name, 60_000);
  // RUNNING comes before the slot is streaming; changes made before that would still be captured
  // by the snapshot, but tests want to see them as streamed changes.
  await waitFor(
    () =>
      withPostgres(async (client) => {
        const slot = await client.query<{ active: boolean }>("SELECT active FROM pg_replication_slots WHERE slot_name = $1", [slotName]);
        return slot.rows[0]?.active === true ? true : undefined;
      }),
    { what: `slot ${slotName} active`, timeoutMs: 60_000 },
  );
  return {
    name,
    topicPrefix,
    topicOf: (table) => `${topicPrefix}.public.${table}`,
    messageTopic: `${topicPrefix}.message`,
    async remove() {
      await connect.deleteConnector(name);
      await withPostgres(async (client) => {
        // slot.drop.on.stop drops the slot when the task stops; wait for that, then the publication.
        await waitFor(
          async () => {
            const slot = await client.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND NOT active", [slotName]);
            const any = await client.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = $1", [slotName]);
            if (slot.rowCount === 1) await client.query("SELECT pg_drop_replication_slot($1)", [slotName]);
            return any.rowCount === 0 || slot.rowCount === 1 ? true : undefined;
          },
          { what: `slot ${slotName} released`, timeoutMs: 30_000 },
        );
        await client.query(`DROP PUBLICATION IF EXISTS ${publicationName}`);
      });
    },
  };
}
