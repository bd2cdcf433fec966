import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../services/platform/config.ts";
import { LabError } from "../../../services/platform/errors.ts";

function rejection(env: Record<string, string>): LabError {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof LabError) return error;
    throw error;
  }
  throw new Error("parseConfig accepted a bad configuration");
}

describe("configuration", () => {
  it("defaults: no runtime chosen, free ports, .lab in the project, cache in ~/.cache", () => {
    const config = parseConfig({ HOME: "/home/someone", PATH: "/usr/bin:/bin" });
    expect(config.runtime).toBeNull();
    expect(config.ports).toEqual({ postgres: 0, kafka: 0, controller: 0, connect: 0 });
    expect(config.labDir.endsWith("/.lab")).toBe(true);
    expect(config.cacheDir).toMatch(/\.cache\/cdc-es-lab$/);
    expect(config.searchPath).toEqual(["/usr/bin", "/bin"]);
    expect(config.external).toBeNull();
    expect(config.logLevel).toBe("warn");
  });

  it("reads ports, directories and the runtime", () => {
    const config = parseConfig({ LAB_RUNTIME: "docker", LAB_PG_PORT: "15432", LAB_DIR: "/tmp/x", LAB_CACHE_DIR: "/tmp/c", LAB_PG_BINDIR: "/opt/pg/bin" });
    expect(config.runtime).toBe("docker");
    expect(config.ports.postgres).toBe(15432);
    expect(config.labDir).toBe("/tmp/x");
    expect(config.cacheDir).toBe("/tmp/c");
    expect(config.postgresBinDir).toBe("/opt/pg/bin");
  });

  it("bounds the WAL a replication slot may keep: a warning threshold and PostgreSQL's own limit", () => {
    const defaults = parseConfig({});
    expect(defaults.slotWalWarnBytes).toBe(256 * 1024 * 1024);
    expect(defaults.maxSlotWalKeepSize).toBe("4GB");
    const set = parseConfig({ LAB_SLOT_WAL_WARN_BYTES: "1048576", LAB_MAX_SLOT_WAL_KEEP_SIZE: "512MB" });
    expect(set.slotWalWarnBytes).toBe(1_048_576);
    expect(set.maxSlotWalKeepSize).toBe("512MB");
    expect(parseConfig({ LAB_MAX_SLOT_WAL_KEEP_SIZE: "-1" }).maxSlotWalKeepSize).toBe("-1");
    for (const bad of ["4 GB", "4G", "lots", "1GB; DROP TABLE x"]) expect(rejection({ LAB_MAX_SLOT_WAL_KEEP_SIZE: bad }).message).toContain("LAB_MAX_SLOT_WAL_KEEP_SIZE");
    expect(rejection({ LAB_SLOT_WAL_WARN_BYTES: "-5" }).message).toContain("LAB_SLOT_WAL_WARN_BYTES");
  });

  it("names every bad variable in one error", () => {
    const error = rejection({ LAB_RUNTIME: "kubernetes", LAB_PG_PORT: "99999", LAB_LOG_LEVEL: "loud" });
    expect(error.code).toBe("ConfigInvalid");
    expect(error.message).toContain("LAB_RUNTIME");
    expect(error.message).toContain("LAB_PG_PORT");
    expect(error.message).toContain("LAB_LOG_LEVEL");
  });

  it("the external runtime needs all three URLs, and says which are missing", () => {
    const error = rejection({ LAB_RUNTIME: "external", LAB_KAFKA_BROKERS: "k:9092" });
    expect(error.message).toBe("the external runtime needs LAB_POSTGRES_URL, LAB_CONNECT_URL");
  });

  it("validates the external endpoints", () => {
    const good = parseConfig({
      LAB_RUNTIME: "external",
      LAB_POSTGRES_URL: "postgresql://u:p@db:5432/cart",
      LAB_KAFKA_BROKERS: "k1:9092, k2:9093",
      LAB_CONNECT_URL: "http://connect:8083/",
    });
    expect(good.external).toEqual({
      postgresUrl: "postgresql://u:p@db:5432/cart",
      kafkaBrokers: ["k1:9092", "k2:9093"],
      connectUrl: "http://connect:8083",
      connectDatabaseHost: null,
      connectDatabasePort: null,
    });
    expect(rejection({ LAB_RUNTIME: "external", LAB_POSTGRES_URL: "mysql://db/cart", LAB_KAFKA_BROKERS: "k:1", LAB_CONNECT_URL: "http://c" }).message).toContain(
      "LAB_POSTGRES_URL must use postgres: or postgresql:",
    );
    expect(rejection({ LAB_RUNTIME: "external", LAB_POSTGRES_URL: "postgres://db/cart", LAB_KAFKA_BROKERS: "k", LAB_CONNECT_URL: "http://c" }).message).toContain(
      "LAB_KAFKA_BROKERS: expected host:port",
    );
  });

  it("LAB_BROKERS: unset is null (the lab keeps its recorded count), 1 or 3, anything else a ConfigInvalid naming it", () => {
    expect(parseConfig({}).brokers).toBeNull();
    expect(parseConfig({ LAB_BROKERS: "1" }).brokers).toBe(1);
    expect(parseConfig({ LAB_BROKERS: "3" }).brokers).toBe(3);
    for (const bad of ["2", "0", "5", "three", "3.0", " 3", ""]) {
      const error = rejection({ LAB_BROKERS: bad });
      expect(error.code).toBe("ConfigInvalid");
      expect(error.message).toContain("LAB_BROKERS: 1 or 3");
    }
  });
});
