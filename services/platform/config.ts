import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { LabError } from "./errors.ts";

/**
 * The lab's configuration, parsed once from the environment and validated. This is the only
 * module that reads `process.env`; everything else receives a `LabConfig`.
 */
export const RUNTIME_KINDS = ["local", "docker", "external"] as const;
export type RuntimeKind = (typeof RUNTIME_KINDS)[number];

/**
 * The docker runtime's images: `official` pulls the public images .env names (machines that reach a
 * registry); `built` builds the project's own from Debian packages and Maven Central jars
 * (docker-compose.built.yml), for machines that reach no registry. Same topology either way.
 */
export const DOCKER_FLAVORS = ["official", "built"] as const;
export type DockerFlavor = (typeof DOCKER_FLAVORS)[number];

/** One KRaft node, or three (a quorum of three voters, replication factor 3): see docs/adr/0005. */
export const BROKER_COUNTS = [1, 3] as const;
export type BrokerCount = (typeof BROKER_COUNTS)[number];

export interface LocalPorts {
  /** 0 means "choose a free port at first `up` and record it". */
  postgres: number;
  kafka: number;
  controller: number;
  connect: number;
}

export interface ExternalEndpoints {
  postgresUrl: string;
  kafkaBrokers: string[];
  connectUrl: string;
  /** How Kafka Connect reaches PostgreSQL, when that differs from `postgresUrl` (e.g. inside a cluster network). */
  connectDatabaseHost: string | null;
  connectDatabasePort: number | null;
}

export interface LabConfig {
  /** null when not set: the CLI then uses the runtime recorded in the lab directory, else `local`. */
  runtime: RuntimeKind | null;
  /** The repository root: where `infra/` and `docker-compose.yml` live. */
  projectDir: string;
  /** State, data and logs of the stack the lab starts. */
  labDir: string;
  /** Resolved JVM jars, shared by every clone on this machine. */
  cacheDir: string;
  postgresBinDir: string | null;
  javaHome: string | null;
  /** Directories searched for java, mvn, docker and PostgreSQL's binaries (PATH). */
  searchPath: string[];
  ports: LocalPorts;
  external: ExternalEndpoints | null;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace";
  /** Upper bound for each readiness step. */
  readyTimeoutMs: number;
  /** `status` warns about a replication slot that retains more WAL than this. */
  slotWalWarnBytes: number;
  /**
   * The local runtime's PostgreSQL `max_slot_wal_keep_size` (`-1` for no limit): a slot that falls
   * further behind is invalidated and its connector needs a new snapshot.
   */
  maxSlotWalKeepSize: string;
  /**
   * How many Kafka brokers the local runtime starts (LAB_BROKERS). null when not set: a lab keeps
   * the count recorded at its first `up`, and a new lab gets one.
   */
  brokers: BrokerCount | null;
  /** Which images the docker runtime runs (LAB_DOCKER_FLAVOR); `official` unless told. */
  dockerFlavor: DockerFlavor;
}

const port = z.coerce.number().int().min(0).max(65535);
const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const EnvSchema = z.object({
  LAB_RUNTIME: z.enum(RUNTIME_KINDS).optional(),
  LAB_DOCKER_FLAVOR: z.enum(DOCKER_FLAVORS).default("official"),
  LAB_DIR: optionalText,
  LAB_CACHE_DIR: optionalText,
  LAB_PG_BINDIR: optionalText,
  JAVA_HOME: optionalText,
  LAB_PG_PORT: port.default(0),
  LAB_KAFKA_PORT: port.default(0),
  LAB_CONTROLLER_PORT: port.default(0),
  LAB_CONNECT_PORT: port.default(0),
  LAB_POSTGRES_URL: optionalText,
  LAB_KAFKA_BROKERS: optionalText,
  LAB_CONNECT_URL: optionalText,
  LAB_CONNECT_DB_HOST: optionalText,
  LAB_CONNECT_DB_PORT: port.optional(),
  LAB_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("warn"),
  LAB_READY_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(120_000),
  LAB_SLOT_WAL_WARN_BYTES: z.coerce.number().int().min(0).default(256 * 1024 * 1024),
  // PostgreSQL's own size syntax, so the value goes to the server as the user wrote it.
  LAB_MAX_SLOT_WAL_KEEP_SIZE: z
    .string()
    .trim()
    .regex(/^(-1|\d{1,12}(kB|MB|GB|TB))$/, { error: "a PostgreSQL size such as 4GB or 512MB, or -1 for no limit" })
    .default("4GB"),
  LAB_BROKERS: z
    .enum(BROKER_COUNTS.map(String) as ["1", "3"], { error: "1 or 3 (a KRaft quorum needs an odd number of voters; 3 is the smallest that survives one loss)" })
    .transform((value) => Number(value) as BrokerCount)
    .optional(),
  XDG_CACHE_HOME: optionalText,
  PATH: z.string().default(""),
});

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export function parseConfig(env: Record<string, string | undefined>): LabConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new LabError("ConfigInvalid", `invalid configuration: ${problems.join("; ")}`, {
      details: { problems },
      hint: "See docs/reference/configuration.md for every variable and its range.",
    });
  }
  const e = parsed.data;
  return {
    runtime: e.LAB_RUNTIME ?? null,
    projectDir,
    labDir: path.resolve(e.LAB_DIR ?? path.join(projectDir, ".lab")),
    cacheDir: path.resolve(e.LAB_CACHE_DIR ?? path.join(e.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "cdc-es-lab")),
    postgresBinDir: e.LAB_PG_BINDIR ?? null,
    javaHome: e.JAVA_HOME ?? null,
    searchPath: e.PATH.split(path.delimiter).filter((dir) => dir !== ""),
    ports: {
      postgres: e.LAB_PG_PORT,
      kafka: e.LAB_KAFKA_PORT,
      controller: e.LAB_CONTROLLER_PORT,
      connect: e.LAB_CONNECT_PORT,
    },
    external: hasExternalSettings(e) ? parseExternal(e) : null,
    logLevel: e.LAB_LOG_LEVEL,
    readyTimeoutMs: e.LAB_READY_TIMEOUT_MS,
    slotWalWarnBytes: e.LAB_SLOT_WAL_WARN_BYTES,
    maxSlotWalKeepSize: e.LAB_MAX_SLOT_WAL_KEEP_SIZE,
    brokers: e.LAB_BROKERS ?? null,
    dockerFlavor: e.LAB_DOCKER_FLAVOR,
  };
}

function hasExternalSettings(e: z.infer<typeof EnvSchema>): boolean {
  return e.LAB_RUNTIME === "external" || e.LAB_POSTGRES_URL !== undefined || e.LAB_KAFKA_BROKERS !== undefined || e.LAB_CONNECT_URL !== undefined;
}

function parseExternal(e: z.infer<typeof EnvSchema>): ExternalEndpoints {
  const missing = (["LAB_POSTGRES_URL", "LAB_KAFKA_BROKERS", "LAB_CONNECT_URL"] as const).filter((name) => e[name] === undefined);
  if (missing.length > 0) {
    throw new LabError("ConfigInvalid", `the external runtime needs ${missing.join(", ")}`, {
      details: { missing },
      hint: "Example: LAB_POSTGRES_URL=postgresql://user:pw@db:5432/cart LAB_KAFKA_BROKERS=k1:9092,k2:9092 LAB_CONNECT_URL=http://connect:8083",
    });
  }
  const postgresUrl = parseUrl("LAB_POSTGRES_URL", e.LAB_POSTGRES_URL ?? "", ["postgres:", "postgresql:"]);
  const connectUrl = parseUrl("LAB_CONNECT_URL", e.LAB_CONNECT_URL ?? "", ["http:", "https:"]).replace(/\/+$/, "");
  const kafkaBrokers = (e.LAB_KAFKA_BROKERS ?? "").split(",").map((broker) => broker.trim());
  const badBrokers = kafkaBrokers.filter((broker) => !/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/.test(broker));
  if (badBrokers.length > 0) {
    throw new LabError("ConfigInvalid", `LAB_KAFKA_BROKERS: expected host:port[,host:port...], got ${JSON.stringify(badBrokers)}`);
  }
  return {
    postgresUrl,
    kafkaBrokers,
    connectUrl,
    connectDatabaseHost: e.LAB_CONNECT_DB_HOST ?? null,
    connectDatabasePort: e.LAB_CONNECT_DB_PORT ?? null,
  };
}

function parseUrl(name: string, value: string, protocols: string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new LabError("ConfigInvalid", `${name} is not a URL: ${JSON.stringify(value)}`, { cause: error });
  }
  if (!protocols.includes(url.protocol)) {
    throw new LabError("ConfigInvalid", `${name} must use ${protocols.join(" or ")}, got ${url.protocol}`);
  }
  return value;
}

/** The configuration of this process; composition roots call it once. */
export function loadConfig(): LabConfig {
  return parseConfig(process.env);
}
