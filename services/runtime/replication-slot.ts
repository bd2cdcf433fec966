import { waitFor } from "../platform/wait-for.ts";
import { withPostgresClient } from "../platform/postgres-pool.ts";

/**
 * A Debezium connector's replication slot: it is RUNNING before its slot streams, and deleting
 * the connector does not always drop its slot (a FAILED task never stops cleanly). A forgotten
 * slot keeps WAL forever, so whoever removes a connector drops its slot too.
 */

export async function waitForSlotActive(postgresUrl: string, slotName: string, timeoutMs: number): Promise<void> {
  await waitFor(
    () =>
      withPostgresClient(postgresUrl, async (client) => {
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
      withPostgresClient(postgresUrl, async (client) => {
        const slot = await client.query<{ active: boolean }>("SELECT active FROM pg_replication_slots WHERE slot_name = $1", [slotName]);
        if (slot.rowCount === 0) return true;
        if (slot.rows[0]?.active === true) return undefined;
        await client.query("SELECT pg_drop_replication_slot($1)", [slotName]);
        return true;
      }),
    { what: `replication slot ${slotName} to be released`, timeoutMs },
  );
}

/** One replication slot as `status` reports it. */
export interface SlotStatus {
  slotName: string;
  active: boolean;
  /** PostgreSQL's view: `reserved`, `extended`, `unreserved` (about to be lost) or `lost` (invalidated). */
  walStatus: string | null;
  /** WAL the server keeps for this slot: from its restart LSN to the current one. */
  retainedBytes: number | null;
  /** Changes committed but not yet confirmed by the slot's consumer (Debezium). */
  confirmedLagBytes: number | null;
  /** How much more WAL may be written before max_slot_wal_keep_size invalidates the slot; null when unlimited. */
  safeWalBytes: number | null;
}

export async function readSlots(postgresUrl: string): Promise<SlotStatus[]> {
  return withPostgresClient(postgresUrl, async (client) => {
    const rows = await client.query<{ slot_name: string; active: boolean; wal_status: string | null; retained: string | null; lag: string | null; safe: string | null }>(
      `SELECT slot_name, active, wal_status,
              pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::text AS retained,
              pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::text AS lag,
              safe_wal_size::text AS safe
         FROM pg_replication_slots ORDER BY slot_name`,
    );
    const bytes = (value: string | null) => (value === null ? null : Number(value));
    return rows.rows.map((row) => ({
      slotName: row.slot_name,
      active: row.active,
      walStatus: row.wal_status,
      retainedBytes: bytes(row.retained),
      confirmedLagBytes: bytes(row.lag),
      safeWalBytes: bytes(row.safe),
    }));
  });
}

/** The slots `status` warns about: retaining more WAL than `thresholdBytes`, or invalidated. */
export function slotWarnings(slots: readonly SlotStatus[], thresholdBytes: number): string[] {
  const mib = (value: number) => `${(value / (1024 * 1024)).toFixed(1)} MiB`;
  return slots.flatMap((slot) => {
    if (slot.walStatus === "lost") {
      return [`slot ${slot.slotName} was invalidated (max_slot_wal_keep_size): its connector can only start again from a new snapshot, and the changes in between are not in its topics`];
    }
    if (slot.retainedBytes !== null && slot.retainedBytes > thresholdBytes) {
      const why = slot.active ? "its consumer is behind" : "nothing reads it (its connector is down)";
      const limit = slot.safeWalBytes === null ? "PostgreSQL keeps it without limit" : `${mib(slot.safeWalBytes)} more and it is invalidated`;
      return [`slot ${slot.slotName} retains ${mib(slot.retainedBytes)} of WAL: ${why}; ${limit}`];
    }
    return [];
  });
}
