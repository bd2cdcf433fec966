import { createRequire } from "node:module";
import os from "node:os";
import type pg from "pg";
import type { StackStatus } from "../../services/runtime/runtime.ts";

/** Where a bench ran: what a reader needs to weigh its figures against their own machine. */
export interface BenchMachine {
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  os: string;
}

export interface BenchVersions {
  node: string;
  /** PostgreSQL's own `server_version`. */
  postgres: string;
  kafka: string | null;
  debezium: string | null;
  /** The drivers the suite measures through. */
  pg: string;
  kafkajs: string;
}

/** PostgreSQL's settings that move the figures, as PostgreSQL reports them (`SHOW`). */
export const POSTGRES_SETTINGS = ["fsync", "synchronous_commit", "full_page_writes", "wal_level", "shared_buffers", "max_connections"] as const;
export type PostgresSettings = Record<(typeof POSTGRES_SETTINGS)[number], string>;

export function machineOf(): BenchMachine {
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown", memoryBytes: os.totalmem(), os: `${os.platform()} ${os.release()}` };
}

export function versionsOf(status: StackStatus, postgres: string): BenchVersions {
  const versionOf = (component: string) => status.components.find((entry) => entry.component === component)?.version ?? null;
  return { node: process.version, postgres, kafka: versionOf("kafka"), debezium: versionOf("connector"), pg: packageVersion("pg"), kafkajs: packageVersion("kafkajs") };
}

export async function readPostgresSettings(client: pg.ClientBase): Promise<{ serverVersion: string; settings: PostgresSettings }> {
  const result = await client.query<{ name: string; setting: string }>(
    "SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name = ANY($1::text[]) OR name = 'server_version'",
    [[...POSTGRES_SETTINGS]],
  );
  const byName = new Map(result.rows.map((row) => [row.name, row.setting]));
  const settings = Object.fromEntries(POSTGRES_SETTINGS.map((name) => [name, byName.get(name) ?? "unknown"])) as PostgresSettings;
  return { serverVersion: byName.get("server_version") ?? "unknown", settings };
}

function packageVersion(name: string): string {
  const version = (createRequire(import.meta.url)(`${name}/package.json`) as { version?: unknown }).version;
  return typeof version === "string" ? version : "unknown";
}
