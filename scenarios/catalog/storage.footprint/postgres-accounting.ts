import type pg from "pg";

/**
 * What PostgreSQL itself says a subject's data costs: relation sizes over the subject's schema
 * (heap and TOAST, indexes) and WAL positions. Nothing here estimates a size from row counts.
 */
export interface RelationSize {
  relation: string;
  /** pg_table_size: heap, TOAST, free-space and visibility maps. */
  tableBytes: number;
  /** pg_indexes_size: every index of the relation (and of its TOAST table). */
  indexBytes: number;
}

export async function schemaRelationSizes(pool: pg.Pool, schema: string): Promise<RelationSize[]> {
  const result = await pool.query<{ relation: string; table_bytes: string; index_bytes: string }>(
    `SELECT c.relname AS relation, pg_table_size(c.oid)::text AS table_bytes, pg_indexes_size(c.oid)::text AS index_bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'm')
      ORDER BY c.relname`,
    [schema],
  );
  return result.rows.map((row) => ({ relation: row.relation, tableBytes: Number(row.table_bytes), indexBytes: Number(row.index_bytes) }));
}

/** WAL bytes between two positions, computed by PostgreSQL (pg_wal_lsn_diff). */
export async function walBytesBetween(pool: pg.Pool, from: string, to: string): Promise<number> {
  const result = await pool.query<{ bytes: string }>("SELECT pg_wal_lsn_diff($2::pg_lsn, $1::pg_lsn)::text AS bytes", [from, to]);
  return Number(result.rows[0]?.bytes ?? 0);
}

/** One replication slot as pg_replication_slots shows it, with its distance to the current WAL position. */
export interface SlotState {
  slotName: string;
  active: boolean;
  /** current WAL position - restart_lsn: WAL this slot keeps the server from recycling. */
  retainedBytes: number | null;
  /** current WAL position - confirmed_flush_lsn: changes the consumer has not confirmed. */
  unconfirmedBytes: number | null;
  restartLsn: string | null;
  /** reserved | extended | unreserved | lost (PostgreSQL 13+). */
  walStatus: string | null;
  /** Bytes the slot may still fall behind before it is lost; null while max_slot_wal_keep_size is -1. */
  safeWalSize: number | null;
}

export async function replicationSlots(pool: pg.Pool): Promise<SlotState[]> {
  const result = await pool.query<{
    slot_name: string;
    active: boolean;
    retained: string | null;
    unconfirmed: string | null;
    restart_lsn: string | null;
    wal_status: string | null;
    safe_wal_size: string | null;
  }>(
    `SELECT slot_name, active,
            pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::text AS retained,
            pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::text AS unconfirmed,
            restart_lsn::text, wal_status, safe_wal_size::text
       FROM pg_replication_slots ORDER BY slot_name`,
  );
  const number = (text: string | null): number | null => (text === null ? null : Number(text));
  return result.rows.map((row) => ({
    slotName: row.slot_name,
    active: row.active,
    retainedBytes: number(row.retained),
    unconfirmedBytes: number(row.unconfirmed),
    restartLsn: row.restart_lsn,
    walStatus: row.wal_status,
    safeWalSize: number(row.safe_wal_size),
  }));
}

/** The WAL segment size: max_slot_wal_keep_size invalidates slots a whole segment at a time. */
export async function walSegmentBytes(pool: pg.Pool): Promise<number> {
  const result = await pool.query<{ bytes: string }>("SELECT setting::bigint::text AS bytes FROM pg_settings WHERE name = 'wal_segment_size'");
  return Number(result.rows[0]?.bytes ?? 0);
}
