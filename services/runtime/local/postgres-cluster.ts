import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { LabError, describeError } from "../../platform/errors.ts";
import { findOnPath } from "./executables.ts";
import { isRunning, tailFile } from "./processes.ts";

const run = promisify(execFile);

/**
 * The lab's own PostgreSQL cluster, made with the machine's initdb/pg_ctl. PostgreSQL refuses to
 * run as root, so when the lab runs as root every server command runs as an unprivileged user.
 */
export interface PostgresCluster {
  binDir: string;
  /** Holds `data/` and `postgres.log`; owned by the server's user. */
  home: string;
  port: number;
  /** Run server commands as this user (null: as ourselves). */
  runAs: { user: string; uid: number; gid: number } | null;
}

export const LAB_DATABASE = "cart";

export function dataDir(cluster: PostgresCluster): string {
  return path.join(cluster.home, "data");
}

export function logFile(cluster: PostgresCluster): string {
  return path.join(cluster.home, "postgres.log");
}

export async function resolveServerUser(searchPath: string[]): Promise<PostgresCluster["runAs"]> {
  if (process.getuid?.() !== 0) return null;
  const runuser = findOnPath("runuser", [...searchPath, "/usr/sbin", "/sbin"]);
  if (runuser === null) {
    throw new LabError("PrerequisiteMissing", "the lab runs as root, and PostgreSQL must not: `runuser` (util-linux) is needed to start it as another user", {
      details: { prerequisite: "runuser" },
      hint: "Install util-linux, or run the lab as an ordinary user.",
    });
  }
  const passwd = readFileSync("/etc/passwd", "utf8").split("\n").find((line) => line.startsWith("postgres:"));
  const fields = passwd?.split(":");
  if (fields === undefined || fields[2] === undefined || fields[3] === undefined) {
    throw new LabError("PrerequisiteMissing", "the lab runs as root and needs an unprivileged `postgres` user to run PostgreSQL as", {
      details: { prerequisite: "postgres user" },
      hint: "Create it (useradd --system --home /var/lib/postgresql postgres) or run the lab as an ordinary user.",
    });
  }
  return { user: "postgres", uid: Number(fields[2]), gid: Number(fields[3]) };
}

async function runServerCommand(cluster: Pick<PostgresCluster, "runAs">, command: string, args: string[], timeoutMs = 90_000): Promise<string> {
  const [file, argv] = cluster.runAs === null ? [command, args] : ["runuser", ["-u", cluster.runAs.user, "--", command, ...args]];
  try {
    const { stdout } = await run(file, argv, { timeout: timeoutMs, cwd: "/" });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? "";
    throw new LabError("ComponentFailed", `${path.basename(command)} failed: ${describeError(error)}${stderr ? `\n${stderr.trim()}` : ""}`, {
      cause: error,
      details: { component: "postgres", command, args },
    });
  }
}

/**
 * Chooses where the cluster lives. The server's user must be able to reach it: a lab directory
 * under a private home (e.g. /root) is not reachable, so the cluster then lives in the temp
 * directory and the lab directory keeps a link to it.
 */
export async function preparePostgresHome(defaultHome: string, labDir: string, runAs: PostgresCluster["runAs"]): Promise<string> {
  if (existsSync(defaultHome)) return defaultHome;
  if (runAs === null) {
    mkdirSync(defaultHome, { recursive: true, mode: 0o700 });
    return defaultHome;
  }
  mkdirSync(labDir, { recursive: true });
  const reachable = await runServerCommand({ runAs }, "test", ["-x", labDir]).then(
    () => true,
    () => false,
  );
  let home = defaultHome;
  if (!reachable) {
    const key = createHash("sha256").update(labDir).digest("hex").slice(0, 12);
    home = path.join(os.tmpdir(), `cdc-es-lab-${key}`, "postgres");
  }
  // The parents must stay traversable by the server's user; only the home itself is private.
  mkdirSync(path.dirname(home), { recursive: true, mode: 0o755 });
  mkdirSync(home, { recursive: true, mode: 0o700 });
  chownSync(home, runAs.uid, runAs.gid);
  if (home !== defaultHome && !isLink(defaultHome)) symlinkSync(home, defaultHome);
  return home;
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** initdb once, with the settings logical decoding and a lab on two cores want. */
export async function initCluster(cluster: PostgresCluster, options: { walLevel: "logical" | "replica" } = { walLevel: "logical" }): Promise<boolean> {
  if (existsSync(path.join(dataDir(cluster), "PG_VERSION"))) return false;
  await runServerCommand(cluster, path.join(cluster.binDir, "initdb"), ["-D", dataDir(cluster), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"]);
  appendFileSync(
    path.join(dataDir(cluster), "postgresql.conf"),
    [
      "",
      "# cdc-es-lab",
      "listen_addresses = '127.0.0.1'",
      // TCP only: no socket file that could collide with a system PostgreSQL's.
      "unix_socket_directories = ''",
      // `replica` exists only so a test can show what the external runtime says about such a server.
      `wal_level = ${options.walLevel}`,
      // Every connector variant and test connector holds a slot and a WAL sender.
      "max_wal_senders = 32",
      "max_replication_slots = 32",
      // The lab compares designs on the same server; durability against power loss is not measured.
      // synchronous_commit stays on: logical decoding reads only flushed WAL, so turning it off
      // would add up to a WAL-writer interval to every change's trip to Debezium.
      "fsync = off",
      "full_page_writes = off",
      "",
    ].join("\n"),
  );
  return true;
}

/**
 * Settings given at every start rather than written at initdb, so a lab directory made by an
 * older version gets them too.
 */
export interface ServerSettings {
  /** A slot that falls further behind is invalidated instead of filling the disk (configuration.md). */
  maxSlotWalKeepSize: string;
}

export async function startCluster(cluster: PostgresCluster, settings: ServerSettings): Promise<void> {
  const lockFile = path.join(dataDir(cluster), "postmaster.pid");
  if (existsSync(lockFile) && postmasterPid(cluster) === null) {
    // A postmaster killed with -9 stays a zombie until its parent reaps it, which in a container
    // whose init reaps nothing is never; PostgreSQL's own lock check counts a zombie as running
    // and refuses to start. Ours looked at the process itself: it is gone, so its lock is stale.
    rmSync(lockFile);
  }
  const options = `-p ${cluster.port} -c max_slot_wal_keep_size=${settings.maxSlotWalKeepSize}`;
  await runServerCommand(cluster, path.join(cluster.binDir, "pg_ctl"), ["-D", dataDir(cluster), "-l", logFile(cluster), "-w", "-t", "60", "-o", options, "start"]).catch(
    (error: unknown) => {
      throw new LabError("ComponentFailed", `PostgreSQL did not start on port ${cluster.port}; last lines of ${logFile(cluster)}:\n${tailFile(logFile(cluster), 15)}`, {
        cause: error,
        details: { component: "postgres", port: cluster.port },
      });
    },
  );
}

export async function stopCluster(cluster: PostgresCluster): Promise<void> {
  if (postmasterPid(cluster) === null) return;
  await runServerCommand(cluster, path.join(cluster.binDir, "pg_ctl"), ["-D", dataDir(cluster), "-m", "fast", "-w", "-t", "60", "stop"]);
}

/** The postmaster's pid from its lock file, if that process is alive. */
export function postmasterPid(cluster: Pick<PostgresCluster, "home">): number | null {
  let text: string;
  try {
    text = readFileSync(path.join(cluster.home, "data", "postmaster.pid"), "utf8");
  } catch {
    return null;
  }
  const pid = Number(text.split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  // Alive and ours: a postmaster killed with -9 stays a zombie until its parent reaps it (which
  // may be never, in a container), and its pid can be reused; its command line names its data dir.
  return isRunning(pid, path.join(cluster.home, "data")) ? pid : null;
}

export function serverUrl(port: number, database: string): string {
  return `postgresql://postgres@127.0.0.1:${port}/${database}`;
}

export async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl(port, "postgres") });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
