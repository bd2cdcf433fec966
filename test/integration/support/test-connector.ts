import { debeziumPostgresConfig } from "../../../services/runtime/debezium-connector.ts";
import { dropSlotWhenReleased, waitForSlotActive } from "../../../services/runtime/replication-slot.ts";
import { waitForConnectorRunning } from "../../../services/runtime/lab-connector.ts";
import { connectClient, stack, withPostgres } from "./stack.ts";
import { uniqueName } from "./test-lab.ts";

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
  // RUNNING comes before the slot streams; the tests mean to watch the streaming path.
  await waitForSlotActive(stack().postgresUrl, slotName, 60_000);

  return {
    name,
    topicPrefix,
    topicOf: (table) => `${topicPrefix}.public.${table}`,
    messageTopic: `${topicPrefix}.message`,
    async remove() {
      await connect.deleteConnector(name);
      await dropSlotWhenReleased(stack().postgresUrl, slotName, 30_000);
      await withPostgres((client) => client.query(`DROP PUBLICATION IF EXISTS ${publicationName}`));
    },
  };
}
