import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { jvmPomPath, readPinnedVersions } from "../../../services/runtime/local/jvm-dist.ts";

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const env = Object.fromEntries(
  readFileSync(path.join(projectDir, ".env"), "utf8")
    .split("\n")
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
);
const compose = parse(readFileSync(path.join(projectDir, "docker-compose.yml"), "utf8")) as {
  services: Record<string, { image: string; ports: string[]; command?: string[]; environment: Record<string, string | number> }>;
};
const pinned = readPinnedVersions(readFileSync(jvmPomPath(projectDir), "utf8"));

describe("the docker runtime's compose file", () => {
  it("runs the same Kafka and Debezium versions as the local runtime's pom", () => {
    expect(env["KAFKA_IMAGE"]).toBe(`apache/kafka:${pinned.kafkaVersion}`);
    expect(env["CONNECT_IMAGE"]).toBe(`quay.io/debezium/connect:${pinned.debeziumVersion}`);
    expect(env["POSTGRES_IMAGE"]).toMatch(/^postgres:15\.\d+$/);
  });

  it("takes every image from .env, pinned to an exact tag", () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.image, name).toMatch(/^\$\{[A-Z_]+_IMAGE\}$/);
    }
    // A floating tag (latest, or a bare major) would let two workshop machines run different versions.
    for (const key of ["POSTGRES_IMAGE", "KAFKA_IMAGE", "CONNECT_IMAGE", "LAB_IMAGE"]) expect(env[key], key).toMatch(/:\d+\.\d+[\w.-]*$/);
  });

  it("publishes host ports from .env, none of them PostgreSQL's, Kafka's, Connect's or the usual HTTP port", () => {
    const hostPorts = [env["LAB_PG_PORT"], env["LAB_KAFKA_PORT"], env["LAB_CONNECT_PORT"], env["LAB_API_PORT"]].map(Number);
    for (const port of hostPorts) expect(port).toBeGreaterThan(1024);
    for (const port of hostPorts) expect([5432, 9092, 8083, 8080]).not.toContain(port);
    expect(compose.services["postgres"]?.ports).toEqual(["127.0.0.1:${LAB_PG_PORT}:5432"]);
    expect(compose.services["connect"]?.ports).toEqual(["127.0.0.1:${LAB_CONNECT_PORT}:8083"]);
  });

  it("starts PostgreSQL with logical WAL and a single broker with replication factor 1 for internal topics", () => {
    expect(compose.services["postgres"]?.command).toContain("wal_level=logical");
    const kafka = compose.services["kafka"]?.environment ?? {};
    expect(kafka["KAFKA_PROCESS_ROLES"]).toBe("broker,controller");
    expect(kafka["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"]).toBe(1);
    expect(kafka["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"]).toBe(1);
    expect(String(kafka["KAFKA_CLUSTER_ID"] ?? kafka["CLUSTER_ID"])).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
