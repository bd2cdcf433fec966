import type pg from "pg";
import { LabError, describeError } from "../../services/platform/errors.ts";
import { withPostgresClient } from "../../services/platform/postgres-pool.ts";
import { waitFor } from "../../services/platform/wait-for.ts";

/**
 * `--durable`: fsync on for the run, through ALTER SYSTEM and a configuration reload (fsync is
 * reloadable), and back to what it was afterwards. The local runtime writes `fsync = off` in
 * postgresql.conf, which ALTER SYSTEM's postgresql.auto.conf overrides; restoring resets the
 * override, or puts back the one that was there. A run killed outright (kill -9) leaves fsync on:
 * slower, never less safe, and `SHOW fsync` says so.
 */
export interface FsyncOverride {
  /** What fsync was before the run. */
  previous: "on" | "off";
  restore(): Promise<void>;
}

const RELOAD_TIMEOUT_MS = 10_000;

export async function turnFsyncOn(postgresUrl: string): Promise<FsyncOverride> {
  const before = await withPostgresClient(postgresUrl, (client) => readFsync(client));
  const restore = async () => {
    try {
      await withPostgresClient(postgresUrl, async (client) => {
        if (before.fromAutoConf) await client.query(`ALTER SYSTEM SET fsync = ${before.setting === "on" ? "on" : "off"}`);
        else await client.query("ALTER SYSTEM RESET fsync");
        await client.query("SELECT pg_reload_conf()");
      });
      await waitForFsync(postgresUrl, before.setting);
    } catch (error) {
      throw new LabError("ComponentFailed", `could not set PostgreSQL's fsync back to ${before.setting}: ${describeError(error)}`, {
        cause: error,
        hint: `Run ALTER SYSTEM ${before.fromAutoConf ? `SET fsync = ${before.setting}` : "RESET fsync"}; SELECT pg_reload_conf(); as a superuser.`,
      });
    }
  };
  if (before.setting === "on") return { previous: "on", restore: async () => undefined };
  try {
    await withPostgresClient(postgresUrl, async (client) => {
      await client.query("ALTER SYSTEM SET fsync = on");
      await client.query("SELECT pg_reload_conf()");
    });
    await waitForFsync(postgresUrl, "on");
  } catch (error) {
    throw new LabError("PrerequisiteMissing", `--durable could not turn PostgreSQL's fsync on: ${describeError(error)}`, {
      cause: error,
      hint: "ALTER SYSTEM needs a superuser (the local and docker runtimes connect as one); on an external cluster set fsync there and run without --durable.",
    });
  }
  return { previous: "off", restore };
}

async function readFsync(client: pg.ClientBase): Promise<{ setting: "on" | "off"; fromAutoConf: boolean }> {
  const result = await client.query<{ setting: string; sourcefile: string | null }>("SELECT setting, sourcefile FROM pg_settings WHERE name = 'fsync'");
  const row = result.rows[0];
  if (row === undefined || (row.setting !== "on" && row.setting !== "off")) throw new LabError("ComponentFailed", `PostgreSQL reports fsync as ${JSON.stringify(row?.setting)}`);
  return { setting: row.setting, fromAutoConf: (row.sourcefile ?? "").endsWith("postgresql.auto.conf") };
}

/** A reload is asynchronous: new sessions see the new value once the postmaster has read the files. */
async function waitForFsync(postgresUrl: string, wanted: "on" | "off"): Promise<void> {
  await waitFor(
    async () => {
      const shown = await withPostgresClient(postgresUrl, (client) => client.query<{ fsync: string }>("SHOW fsync"));
      return shown.rows[0]?.fsync === wanted ? true : undefined;
    },
    { what: `PostgreSQL to report fsync ${wanted} after the reload`, timeoutMs: RELOAD_TIMEOUT_MS, intervalMs: 100 },
  );
}
