import { existsSync, mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findOnPath } from "../../services/runtime/local/executables.ts";
import { runCli } from "./support/run-cli.ts";
import { testLabDir, uniqueName } from "./support/test-lab.ts";

/**
 * A missing prerequisite or a taken port is one clear message, a non-zero exit, and nothing
 * left half-started. Each case runs the CLI as a user would, with a PATH that lacks something.
 */
const searchPath = (process.env["PATH"] ?? "").split(path.delimiter);
const bin = mkdtempSync(path.join(os.tmpdir(), "cdc-es-lab-path-"));

/** A PATH holding only the named tools (node is always needed to run the CLI). */
function pathWith(...tools: string[]): string {
  const dir = path.join(bin, tools.join("-") || "none");
  mkdirSync(dir, { recursive: true });
  for (const tool of ["node", ...tools]) {
    const found = findOnPath(tool, searchPath);
    if (found === null) throw new Error(`the test machine lacks ${tool}`);
    if (!existsSync(path.join(dir, tool))) symlinkSync(found, path.join(dir, tool));
  }
  return dir;
}

function baseEnv(labDir: string): Record<string, string | undefined> {
  return { ...process.env, LAB_DIR: labDir, LAB_RUNTIME: undefined, JAVA_HOME: undefined };
}

/** Nothing of a lab directory is running: no state with pids, no postmaster. */
function nothingStarted(labDir: string): boolean {
  return !existsSync(path.join(labDir, "postgres", "data", "postmaster.pid"));
}

describe("prerequisites and conflicts", () => {
  it("without java: one message naming java and how to get it, exit 1, nothing started", async () => {
    const labDir = testLabDir(uniqueName("nojava"));
    const result = await runCli(["up"], { ...baseEnv(labDir), PATH: pathWith("runuser") });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("PrerequisiteMissing: java was not found");
    expect(result.stderr).toContain("hint: Install a JDK 17+");
    expect(nothingStarted(labDir)).toBe(true);
  });

  it("without mvn and no cached jars: one message naming mvn, exit 1, nothing started", async () => {
    const labDir = testLabDir(uniqueName("nomvn"));
    const emptyCache = mkdtempSync(path.join(os.tmpdir(), "cdc-es-lab-cache-"));
    const result = await runCli(["up"], { ...baseEnv(labDir), LAB_CACHE_DIR: emptyCache, PATH: pathWith("java", "runuser") });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("PrerequisiteMissing: mvn was not found");
    expect(result.stderr).toContain("apt-get install maven");
    expect(nothingStarted(labDir)).toBe(true);
  });

  it("without PostgreSQL binaries: one message naming them, exit 1, nothing started", async () => {
    const labDir = testLabDir(uniqueName("nopg"));
    const result = await runCli(["up"], { ...baseEnv(labDir), LAB_PG_BINDIR: path.join(bin, "no-postgres-here") });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PrerequisiteMissing: LAB_PG_BINDIR=.* does not hold PostgreSQL's initdb, pg_ctl, postgres/);
    expect(nothingStarted(labDir)).toBe(true);
  });

  describe("a port conflict", () => {
    const blocker = net.createServer();
    let port = 0;
    beforeAll(async () => {
      await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
      const address = blocker.address();
      port = typeof address === "object" && address !== null ? address.port : 0;
    });
    afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

    it("names the port and the setting to change, exits 1, starts nothing", async () => {
      const labDir = testLabDir(uniqueName("port"));
      const result = await runCli(["up"], { ...baseEnv(labDir), LAB_KAFKA_PORT: String(port) });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`PortInUse: port ${port} for kafka is already in use`);
      expect(result.stderr).toContain("LAB_KAFKA_PORT");
      expect(nothingStarted(labDir)).toBe(true);
      // Nothing half-started: no PostgreSQL was started before the conflict was found.
      expect(result.stderr).not.toContain("postgres: starting");
    });
  });

  it("the docker runtime without a Docker engine says so and points at the local runtime", async () => {
    const labDir = testLabDir(uniqueName("docker"));
    const result = await runCli(["up", "--runtime", "docker"], baseEnv(labDir));
    expect(result.code).toBe(1);
    // With a docker client but no engine (this machine), or with no docker client at all.
    expect(result.stderr).toMatch(/RuntimeUnavailable: no Docker engine answers|PrerequisiteMissing: docker was not found/);
    expect(result.stderr).toContain("--runtime local");
  });

  it("a bad flag is a usage error with exit 2", async () => {
    const result = await runCli(["up", "--runtime", "kubernetes"], baseEnv(testLabDir(uniqueName("usage"))));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("UsageInvalid: --runtime must be one of local, docker, external");
  });
});
