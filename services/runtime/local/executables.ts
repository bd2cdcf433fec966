import { accessSync, constants, readdirSync, realpathSync, statSync } from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { LabError } from "../../platform/errors.ts";

/** The first executable `name` in `dirs`, or null. */
export function findOnPath(name: string, dirs: string[]): string | null {
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export function requireJava(javaHome: string | null, searchPath: string[]): string {
  const fromHome = javaHome === null ? null : path.join(javaHome, "bin", "java");
  if (fromHome !== null && isExecutable(fromHome)) return fromHome;
  const onPath = findOnPath("java", searchPath);
  if (onPath !== null) return onPath;
  throw new LabError("PrerequisiteMissing", "java was not found (looked in JAVA_HOME/bin and on PATH); Kafka and Kafka Connect need Java 17 or newer", {
    details: { prerequisite: "java", javaHome },
    hint: "Install a JDK 17+ (Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME.",
  });
}

export function requireMaven(searchPath: string[]): string {
  const mvn = findOnPath("mvn", searchPath);
  if (mvn !== null) return mvn;
  throw new LabError("PrerequisiteMissing", "mvn was not found on PATH; it resolves Kafka and Debezium from Maven Central on the first `up`", {
    details: { prerequisite: "mvn" },
    hint: "Install Apache Maven 3.6.3+ (Debian: apt-get install maven). After the first `up` the jars are cached and mvn is not needed.",
  });
}

const POSTGRES_TOOLS = ["initdb", "pg_ctl", "postgres"];

/**
 * Where PostgreSQL's server binaries are: LAB_PG_BINDIR if given, else next to `pg_config`/
 * `initdb` on PATH, else the newest `/usr/lib/postgresql/<major>/bin` (Debian keeps them off PATH).
 */
export function findPostgresBinDir(explicit: string | null, searchPath: string[], versionsRoot = "/usr/lib/postgresql"): string {
  const complete = (dir: string): boolean => POSTGRES_TOOLS.every((tool) => isExecutable(path.join(dir, tool)));
  if (explicit !== null) {
    if (complete(explicit)) return explicit;
    throw new LabError("PrerequisiteMissing", `LAB_PG_BINDIR=${explicit} does not hold PostgreSQL's ${POSTGRES_TOOLS.join(", ")}`, {
      details: { prerequisite: "postgresql", dir: explicit },
      hint: "Point LAB_PG_BINDIR at the directory that `pg_config --bindir` prints, or unset it to search.",
    });
  }
  const candidates: string[] = [];
  for (const tool of ["initdb", "pg_config"]) {
    const found = findOnPath(tool, searchPath);
    if (found !== null) {
      candidates.push(path.dirname(found));
      // Debian links /usr/bin/pg_config and /usr/local/bin/initdb; the real directory is the link's target.
      candidates.push(path.dirname(realpathSync(found)));
    }
  }
  const pgConfig = findOnPath("pg_config", searchPath);
  if (pgConfig !== null) {
    const bindir = pgConfigBindir(pgConfig);
    if (bindir !== null) candidates.unshift(bindir);
  }
  for (const major of listMajorVersions(versionsRoot)) candidates.push(path.join(versionsRoot, major, "bin"));
  const found = candidates.find(complete);
  if (found !== undefined) return found;
  throw new LabError("PrerequisiteMissing", "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found on PATH or under /usr/lib/postgresql/*/bin", {
    details: { prerequisite: "postgresql", searched: candidates },
    hint: "Install them (Debian: apt-get install postgresql-15) or set LAB_PG_BINDIR.",
  });
}

function listMajorVersions(root: string): string[] {
  try {
    return readdirSync(root)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
  } catch {
    return [];
  }
}

function pgConfigBindir(pgConfig: string): string | null {
  try {
    return execFileSync(pgConfig, ["--bindir"], { encoding: "utf8", timeout: 5_000, stdio: ["ignore", "pipe", "ignore"] }).trim() || null;
  } catch {
    // A pg_config that cannot answer only removes one candidate; the search goes on.
    return null;
  }
}
