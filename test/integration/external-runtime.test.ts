import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPostgresBinDir } from "../../services/runtime/local/executables.ts";
import { findFreePort } from "../../services/runtime/local/ports.ts";
import { initCluster, resolveServerUser, startCluster, stopCluster, preparePostgresHome } from "../../services/runtime/local/postgres-cluster.ts";
import type { PostgresCluster } from "../../services/runtime/local/postgres-cluster.ts";
import type { StackStatus } from "../../services/runtime/runtime.ts";
import { runCli } from "./support/run-cli.ts";
import { stack, withPostgres } from "./support/stack.ts";
import { testLabDir, uniqueName } from "./support/test-lab.ts";

/** The external runtime, pointed at the shared test stack as if it were someone else's cluster. */
function externalEnv(postgresUrl: string): Record<string, string | undefined> {
  return {
    ...process.env,
    LAB_DIR: testLabDir(uniqueName("external")),
    LAB_RUNTIME: "external",
    LAB_POSTGRES_URL: postgresUrl,
    LAB_KAFKA_BROKERS: stack().kafkaBrokers.join(","),
    LAB_CONNECT_URL: stack().connectUrl,
  };
}

describe("the external runtime", () => {
  it("accepts a PostgreSQL with wal_level=logical, a broker and a Connect with Debezium", async () => {
    const up = await runCli(["up"], externalEnv(stack().postgresUrl));
    expect(up.code, up.stderr).toBe(0);
    const status = await runCli(["status", "--json"], externalEnv(stack().postgresUrl));
    const parsed = JSON.parse(status.stdout) as StackStatus;
    expect(parsed.runtime).toBe("external");
    expect(parsed.up).toBe(true);
    expect(parsed.components.map((component) => component.component)).toEqual(["postgres", "kafka", "connect", "connector"]);
    const down = await runCli(["down"], externalEnv(stack().postgresUrl));
    expect(down.code).toBe(0);
    expect(down.stderr).toContain("nothing to stop");
    // down must not have touched the cluster it does not own.
    expect(await withPostgres(async (client) => (await client.query("SELECT 1 AS one")).rows[0])).toEqual({ one: 1 });
  });

  it("rejects URLs that are not URLs before connecting anywhere", async () => {
    const result = await runCli(["up"], { ...externalEnv("not a url"), LAB_KAFKA_BROKERS: "broker-without-port" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("ConfigInvalid: LAB_POSTGRES_URL is not a URL");
  });

  describe("with a PostgreSQL whose wal_level is not logical", () => {
    let cluster: PostgresCluster;
    beforeAll(async () => {
      const home = mkdtempSync(path.join(os.tmpdir(), "cdc-es-lab-replica-"));
      const runAs = await resolveServerUser((process.env["PATH"] ?? "").split(path.delimiter));
      cluster = {
        binDir: findPostgresBinDir(null, (process.env["PATH"] ?? "").split(path.delimiter)),
        home: await preparePostgresHome(path.join(home, "postgres"), home, runAs),
        port: await findFreePort(),
        runAs,
      };
      await initCluster(cluster, { walLevel: "replica" });
      await startCluster(cluster, { maxSlotWalKeepSize: "-1" });
    });
    afterAll(async () => {
      await stopCluster(cluster);
      rmSync(path.dirname(cluster.home), { recursive: true, force: true });
    });

    it("is one clear error naming wal_level and the fix", async () => {
      const result = await runCli(["up"], externalEnv(`postgresql://postgres@127.0.0.1:${cluster.port}/postgres`));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("ExternalStackInvalid");
      expect(result.stderr).toContain("wal_level=replica; Debezium needs wal_level=logical");
      expect(result.stderr).toContain("ALTER SYSTEM SET wal_level = logical");
    });
  });
});
