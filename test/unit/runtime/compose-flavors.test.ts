import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { jvmPomPath, readPinnedVersions } from "../../../services/runtime/local/jvm-dist.ts";

// The compose lab comes in two flavors of one topology: docker-compose.yml alone (official
// images) and docker-compose.yml + docker-compose.built.yml (images built here). The override may
// change how each image is made, never what runs: these tests hold the two flavors in step.

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const read = (file: string) => readFileSync(path.join(projectDir, file), "utf8");

type Yaml = Record<string, unknown>;
interface Build {
  context?: string;
  dockerfile?: string;
  target?: string;
  args?: Record<string, string>;
}
interface Service extends Yaml {
  image: string;
  build?: Build;
}
interface ComposeFile {
  name?: string;
  services: Record<string, Service>;
}

const env: Record<string, string> = Object.fromEntries(
  read(".env")
    .split("\n")
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
);
const officialFile = parse(read("docker-compose.yml")) as ComposeFile;
const overrideFile = parse(read("docker-compose.built.yml")) as ComposeFile;
const pinned = readPinnedVersions(read(path.relative(projectDir, jvmPomPath(projectDir))));
const labVersion = (JSON.parse(read("package.json")) as { version: string }).version;

/** `${NAME}` from .env, as compose reads it; a name .env lacks is an error here, not an empty string. */
function interpolate<T>(value: T): T {
  if (typeof value === "string") {
    return value.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) => {
      const found = env[name];
      if (found === undefined) throw new Error(`.env has no ${name}`);
      return found;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((item) => interpolate(item)) as T;
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolate(item)])) as T;
  return value;
}

const isMapping = (value: unknown): value is Yaml => value !== null && typeof value === "object" && !Array.isArray(value);

/** Compose's merge for the keys an override uses: mappings merge key by key, anything else is replaced. */
function merge(base: unknown, override: unknown): unknown {
  if (!isMapping(base) || !isMapping(override)) return override;
  const merged: Yaml = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = key in base ? merge(base[key], value) : value;
  return merged;
}

const official = interpolate(officialFile.services);
const built = interpolate(merge(officialFile.services, overrideFile.services) as Record<string, Service>);

/** Everything about a service but the image and how it is built: what both flavors must share. */
function runtimeSettings(service: Service): Yaml {
  return Object.fromEntries(Object.entries(service).filter(([key]) => key !== "image" && key !== "build"));
}

/** The ARGs a Dockerfile declares, with their defaults. */
function dockerfileArgs(dockerfile: string): Map<string, string | undefined> {
  const args = new Map<string, string | undefined>();
  for (const match of read(dockerfile).matchAll(/^ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S+))?\s*$/gm)) args.set(match[1] ?? "", match[2]);
  return args;
}

function dockerfileOf(build: Build): string {
  return path.join(build.context ?? ".", build.dockerfile ?? "Dockerfile");
}

describe("the two compose flavors", () => {
  it("run the same services: PostgreSQL, Kafka, Connect, the one-shot that registers the connectors, the lab's API and its shipping consumer", () => {
    expect(Object.keys(official).sort()).toEqual(["api", "connect", "connectors", "kafka", "postgres", "shipping"]);
    expect(Object.keys(built).sort()).toEqual(Object.keys(official).sort());
  });

  it("differ only in images and how they are built: same ports, healthchecks, environment, commands and dependencies", () => {
    for (const [name, service] of Object.entries(overrideFile.services)) {
      expect(Object.keys(service).filter((key) => key !== "image" && key !== "build"), `docker-compose.built.yml changes ${name} beyond its image`).toEqual([]);
    }
    for (const name of Object.keys(official)) {
      expect(runtimeSettings(built[name] as Service), name).toEqual(runtimeSettings(official[name] as Service));
    }
    // Compared above as a whole; named here so a failure reads as what broke.
    expect(built["connect"]?.["environment"]).toMatchObject({ CONNECT_SCHEDULED_REBALANCE_MAX_DELAY_MS: 10000 });
    expect(built["api"]?.["healthcheck"]).toEqual(official["api"]?.["healthcheck"]);
  });

  it("the official flavor pulls the infrastructure and builds only the lab's image, from the official Node image", () => {
    for (const name of ["postgres", "kafka", "connect"]) expect(official[name]?.build, name).toBeUndefined();
    const build = official["api"]?.build;
    expect(build).toBeDefined();
    const args = dockerfileArgs(dockerfileOf(build ?? {}));
    expect(args.get("NODE_IMAGE")).toMatch(/^node:20-bookworm-slim$/);
    expect(args.get("NPM_IMAGE")).toBe(args.get("NODE_IMAGE"));
    // Dependencies from the npm registry, in the build: a workshop machine needs no script first.
    expect(args.get("DEPENDENCIES")).toBe("npm");
    expect(build?.args).toBeUndefined();
    // The built flavor takes them staged on the host, and runs the lab on a Debian 13 Node base.
    expect(built["api"]?.build?.args).toEqual({ NODE_IMAGE: env["BASE_NODE_IMAGE"], DEPENDENCIES: "staged" });
  });

  it("the built flavor builds every image, named cdc-es-lab/<service>, on the debootstrap bases of .env", () => {
    const builders = new Map(Object.entries(built).flatMap(([name, service]) => (service.build ? [[service.image, name] as const] : [])));
    for (const [name, service] of Object.entries(built)) {
      expect(service.image, name).toMatch(/^cdc-es-lab\/[a-z-]+:[\w.-]+$/);
      expect(builders.has(service.image), `no service of the built flavor builds ${service.image} (${name})`).toBe(true);
      // A service that runs another's image must not try to pull it from a registry.
      if (!service.build) expect(service["pull_policy"], name).toBe("never");
    }
    const bases = new Set(["BASE_BOOKWORM_IMAGE", "BASE_NODE_IMAGE"].map((name) => env[name]));
    for (const [name, service] of Object.entries(built)) {
      if (!service.build) continue;
      const declared = dockerfileArgs(dockerfileOf(service.build));
      const passed = service.build.args ?? {};
      expect(Object.keys(passed).length, `${name} is built on the Dockerfile's default base`).toBeGreaterThan(0);
      for (const [arg, value] of Object.entries(passed)) {
        expect(declared.has(arg), `${dockerfileOf(service.build)} declares no ARG ${arg}`).toBe(true);
        if (arg.endsWith("_IMAGE")) expect(bases.has(value), `${name}: ${arg}=${value} is not a base image from .env`).toBe(true);
      }
    }
  });

  it("every Dockerfile's base is an ARG whose default is the usual public image", () => {
    const publicBases = /^(debian:(bookworm|trixie)-slim|node:20-bookworm-slim)$/;
    const dockerfiles = new Set(Object.values(built).flatMap((service) => (service.build ? [dockerfileOf(service.build)] : [])));
    expect(dockerfiles.size).toBe(3);
    for (const dockerfile of [...dockerfiles, "infra/docker/base/node.Dockerfile"]) {
      const args = dockerfileArgs(dockerfile);
      const froms = [...read(dockerfile).matchAll(/^FROM\s+(\S+)/gm)].map((match) => match[1] ?? "");
      const external = froms.filter((from) => from.startsWith("${"));
      expect(external.length, `${dockerfile} has a base image`).toBeGreaterThan(0);
      for (const from of external) {
        const arg = /^\$\{([A-Z_]+)\}$/.exec(from)?.[1] ?? "";
        expect(args.get(arg), `${dockerfile}: FROM ${from}`).toMatch(publicBases);
      }
    }
  });

  it("names built images with the versions pinned for the local runtime and the lab's own version", () => {
    expect(env["BUILT_KAFKA_IMAGE"]).toBe(`cdc-es-lab/kafka:${pinned.kafkaVersion}`);
    expect(env["BUILT_CONNECT_IMAGE"]).toBe(`cdc-es-lab/connect:${pinned.debeziumVersion}`);
    expect(env["BUILT_POSTGRES_IMAGE"]).toBe("cdc-es-lab/postgres:15");
    expect(env["BUILT_LAB_IMAGE"]).toBe(`cdc-es-lab/lab:${labVersion}`);
    expect(env["LAB_IMAGE"]).toBe(`cdc-es-lab/lab:${labVersion}-node`);
  });

  it("publishes the API on a host port from .env, never 8080, and points the lab's services at the stack by service name", () => {
    expect(Number(env["LAB_API_PORT"])).toBeGreaterThan(1024);
    expect([5432, 9092, 8083, 8080]).not.toContain(Number(env["LAB_API_PORT"]));
    expect(officialFile.services["api"]?.["ports"]).toEqual(["127.0.0.1:${LAB_API_PORT}:8080"]);
    for (const name of ["connectors", "api", "shipping"]) {
      expect(official[name]?.["environment"], name).toEqual({
        LAB_RUNTIME: "external",
        LAB_POSTGRES_URL: "postgresql://postgres:postgres@postgres:5432/cart",
        LAB_KAFKA_BROKERS: "kafka:29092",
        LAB_CONNECT_URL: "http://connect:8083",
        LAB_CONNECT_DB_HOST: "postgres",
        LAB_CONNECT_DB_PORT: 5432,
        LAB_LOG_LEVEL: "info",
      });
    }
    // The api starts once `up` registered the lab's connector and saw it stream, so its designs open on a running pipeline.
    expect(official["connectors"]?.["command"]).toEqual(["up"]);
    expect(official["connectors"]?.["depends_on"]).toEqual({ connect: { condition: "service_healthy" } });
    expect(official["api"]?.["depends_on"]).toEqual({ connectors: { condition: "service_completed_successfully" } });
    expect(official["api"]?.["command"]).toEqual(["serve", "--host", "0.0.0.0", "--port", "8080"]);
    expect(official["shipping"]?.["command"]).toEqual(["ship"]);
  });

  it("gives each Kafka listener its own port, the host one included, and points every client at the internal one", () => {
    const kafka = (official["kafka"]?.["environment"] ?? {}) as Record<string, string>;
    const ports = String(kafka["KAFKA_LISTENERS"])
      .split(",")
      .map((listener) => Number(listener.split(":").pop()));
    expect(ports).toHaveLength(3);
    expect(new Set(ports).size).toBe(3);
    expect(ports).toContain(Number(env["LAB_KAFKA_PORT"]));
    const internal = /^PLAINTEXT:\/\/kafka:(\d+)/.exec(String(kafka["KAFKA_ADVERTISED_LISTENERS"]))?.[1];
    expect(official["connect"]?.["environment"]).toMatchObject({ BOOTSTRAP_SERVERS: `kafka:${internal}` });
    expect(official["api"]?.["environment"]).toMatchObject({ LAB_KAFKA_BROKERS: `kafka:${internal}` });
    expect(JSON.stringify(official["kafka"]?.["healthcheck"])).toContain(`localhost:${internal}`);
  });
});
