import pg from "pg";
import { LabError, describeError } from "../platform/errors.ts";

export interface PostgresFacts {
  version: string;
  walLevel: string;
}

/** Connects once, reads the server version and `wal_level`; Debezium needs `logical`. */
export async function probePostgres(url: string): Promise<PostgresFacts> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    const version = await client.query<{ server_version: string }>("SHOW server_version");
    const walLevel = await client.query<{ wal_level: string }>("SHOW wal_level");
    return { version: version.rows[0]?.server_version ?? "unknown", walLevel: walLevel.rows[0]?.wal_level ?? "unknown" };
  } catch (error) {
    throw new LabError("ComponentFailed", `PostgreSQL at ${redactUrl(url)} did not answer: ${describeError(error)}`, {
      cause: error,
      retriable: true,
      details: { component: "postgres" },
    });
  } finally {
    // A client that never connected has nothing to close; the connect error above is the one reported.
    await client.end().catch((error: unknown) => void error);
  }
}

export function requireLogicalWal(facts: PostgresFacts, where: string): void {
  if (facts.walLevel !== "logical") {
    throw new LabError("ExternalStackInvalid", `PostgreSQL at ${where} has wal_level=${facts.walLevel}; Debezium needs wal_level=logical`, {
      details: { walLevel: facts.walLevel },
      hint: "Run ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL.",
    });
  }
}

/** Connection strings carry passwords; never log them. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "<unparseable url>";
  }
}
