import pg from "pg";
import { waitFor } from "../platform/wait-for.ts";

/**
 * A Debezium connector's replication slot: it is RUNNING before its slot streams, and deleting
 * the connector does not always drop its slot (a FAILED task never stops cleanly). A forgotten
 * slot keeps WAL forever, so whoever removes a connector drops its slot too.
 */
async function withClient<T>(postgresUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function waitForSlotActive(postgresUrl: string, slotName: string, timeoutMs: number): Promise<void> {
  await waitFor(
    () =>
      withClient(postgresUrl, async (client) => {
        const slot = await client.query<{ active: boolean }>("SELECT active FROM pg_replication_slots WHERE slot_name = $1", [slotName]);
        return slot.rows[0]?.active === true ? true : undefined;
      }),
    { what: `replication slot ${slotName} to be active`, timeoutMs },
  );
}

/** Waits until Connect let go of the slot, then drops it (if the connector did not already). */
export async function dropSlotWhenReleased(postgresUrl: string, slotName: string, timeoutMs: number): Promise<void> {
  await waitFor(
    () =>
      withClient(postgresUrl, async (client) => {
        const slot = await client.query<{ active: boolean }>("SELECT active FROM pg_replication_slots WHERE slot_name = $1", [slotName]);
        if (slot.rowCount === 0) return true;
        if (slot.rows[0]?.active === true) return undefined;
        await client.query("SELECT pg_drop_replication_slot($1)", [slotName]);
        return true;
      }),
    { what: `replication slot ${slotName} to be released`, timeoutMs },
  );
}
