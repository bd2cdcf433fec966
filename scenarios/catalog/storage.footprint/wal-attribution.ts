import type pg from "pg";
import { describeError } from "../../../services/platform/errors.ts";

/**
 * The WAL a subject wrote itself, even while other writers share the cluster: pg_walinspect
 * (PostgreSQL 15 contrib) lists the WAL records between two positions, and a record is the
 * subject's when it touches one of the subject's relations (tables, indexes, sequences, their
 * TOAST) or belongs to a transaction that did (its commit record, say). The difference of two
 * WAL positions counts every writer on the cluster; this counts the subject's records alone.
 */
export type WalInspect = { available: true } | { available: false; reason: string };

/** Installs pg_walinspect in the lab's database if it can; without it, only the cluster-wide figure is measured. */
export async function enableWalInspect(pool: pg.Pool): Promise<WalInspect> {
  try {
    await pool.query("CREATE EXTENSION IF NOT EXISTS pg_walinspect");
    return { available: true };
  } catch (error) {
    // Two runs creating it at once collide on the catalog; the other one's extension serves.
    const installed = await pool.query("SELECT 1 FROM pg_extension WHERE extname = 'pg_walinspect'");
    if (installed.rowCount === 1) return { available: true };
    return { available: false, reason: `pg_walinspect could not be installed: ${describeError(error)}` };
  }
}

/** Where PostgreSQL's own WAL writing has reached (flushed): the subject's commits are all at or before it. */
export async function walFlushLsn(pool: pg.Pool): Promise<string> {
  const result = await pool.query<{ lsn: string }>("SELECT pg_current_wal_flush_lsn()::text AS lsn");
  return result.rows[0]?.lsn ?? "0/0";
}

/** Bytes of the WAL records between `from` and `to` that belong to the schema's relations or their transactions. */
export async function schemaWalBytes(pool: pg.Pool, schema: string, from: string, to: string): Promise<{ bytes: number; fullPageImageBytes: number }> {
  const result = await pool.query<{ bytes: string; fpi: string }>(
    `WITH schema_relations AS (
       SELECT c.oid, c.reltoastrelid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1
     ), relations AS (
       SELECT oid FROM schema_relations
       UNION SELECT reltoastrelid FROM schema_relations WHERE reltoastrelid <> 0
       UNION SELECT i.indexrelid FROM pg_index i JOIN schema_relations s ON i.indrelid = s.reltoastrelid
     ), files AS (
       SELECT format('rel %s/%s/%s ', CASE WHEN c.reltablespace = 0 THEN d.dattablespace ELSE c.reltablespace END, d.oid, pg_relation_filenode(c.oid)) AS tag
         FROM relations r JOIN pg_class c ON c.oid = r.oid CROSS JOIN pg_database d
        WHERE d.datname = current_database() AND pg_relation_filenode(c.oid) IS NOT NULL
     ), records AS (
       SELECT w.xid, w.record_length, w.fpi_length, EXISTS (SELECT 1 FROM files f WHERE strpos(coalesce(w.block_ref, ''), f.tag) > 0) AS touches
         FROM pg_get_wal_records_info($2::pg_lsn, $3::pg_lsn) w
     ), own_transactions AS (
       SELECT DISTINCT xid FROM records WHERE touches AND xid <> '0'::xid
     )
     SELECT coalesce(sum(record_length), 0)::text AS bytes, coalesce(sum(fpi_length), 0)::text AS fpi
       FROM records WHERE touches OR xid IN (SELECT xid FROM own_transactions)`,
    [schema, from, to],
  );
  return { bytes: Number(result.rows[0]?.bytes ?? 0), fullPageImageBytes: Number(result.rows[0]?.fpi ?? 0) };
}
