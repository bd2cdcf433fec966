import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { LabError } from "../../platform/errors.ts";
import type { Progress } from "../../platform/progress.ts";
import { requireMaven } from "./executables.ts";
import { tailFile } from "./processes.ts";

/** The Kafka and Debezium jars, resolved by Maven once per pom and shared by every clone. */
export interface JvmDist {
  libsDir: string;
  pluginsDir: string;
  kafkaVersion: string;
  debeziumVersion: string;
}

export interface JvmDistOptions {
  projectDir: string;
  cacheDir: string;
  searchPath: string[];
  /** Where Maven's output goes (the lab's logs directory). */
  logFile: string;
}

export function jvmPomPath(projectDir: string): string {
  return path.join(projectDir, "infra", "jvm", "pom.xml");
}

/** The versions pinned in the pom, read rather than repeated. */
export function readPinnedVersions(pomXml: string): { kafkaVersion: string; debeziumVersion: string } {
  const read = (property: string): string => {
    const match = new RegExp(`<${property}>([^<]+)</${property}>`).exec(pomXml);
    if (match?.[1] === undefined) throw new LabError("ConfigInvalid", `infra/jvm/pom.xml has no <${property}>`);
    return match[1].trim();
  };
  return { kafkaVersion: read("kafka.version"), debeziumVersion: read("debezium.version") };
}

export async function ensureJvmDist(options: JvmDistOptions, progress: Progress): Promise<JvmDist> {
  const pomFile = jvmPomPath(options.projectDir);
  const pomXml = readFileSync(pomFile, "utf8");
  const versions = readPinnedVersions(pomXml);
  // Keyed by the pom's content: a version bump resolves a new set, old sets stay usable.
  const key = createHash("sha256").update(pomXml).digest("hex").slice(0, 16);
  const distDir = path.join(options.cacheDir, "jvm", key);
  const dist: JvmDist = {
    libsDir: path.join(distDir, "libs"),
    pluginsDir: path.join(distDir, "plugins"),
    ...versions,
  };
  if (existsSync(path.join(distDir, "COMPLETE"))) return dist;

  const mvn = requireMaven(options.searchPath);
  const buildDir = `${distDir}.partial-${process.pid}`;
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(path.dirname(distDir), { recursive: true });
  try {
    await progress.step(
      `resolving Kafka ${versions.kafkaVersion} and Debezium ${versions.debeziumVersion} with Maven (first run only; log: ${options.logFile})`,
      () => runMaven(mvn, ["-B", "--no-transfer-progress", "-f", pomFile, "package", `-Ddist.dir=${buildDir}`], options.logFile),
    );
    const plugin = path.join(buildDir, "plugins", "debezium-connector-postgres");
    if (!existsSync(plugin) || !existsSync(path.join(buildDir, "libs")) || readdirSync(path.join(buildDir, "libs")).length === 0) {
      throw new LabError("ComponentFailed", `Maven finished but ${buildDir} lacks the Kafka libs or the Debezium plugin`, { details: { buildDir } });
    }
  } catch (error) {
    rmSync(buildDir, { recursive: true, force: true });
    throw error;
  }
  writeFileSync(path.join(buildDir, "COMPLETE"), `${new Date().toISOString()}\n`);
  // Another `up` may have finished first; either copy is complete.
  if (existsSync(path.join(distDir, "COMPLETE"))) rmSync(buildDir, { recursive: true, force: true });
  else {
    rmSync(distDir, { recursive: true, force: true });
    renameSync(buildDir, distDir);
  }
  return dist;
}

function runMaven(mvn: string, args: string[], logFile: string): Promise<void> {
  mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = openSync(logFile, "a");
  return new Promise<void>((resolve, reject) => {
    const child = spawn(mvn, args, { stdio: ["ignore", fd, fd] });
    child.once("error", (error) => reject(new LabError("ComponentFailed", `could not run ${mvn}: ${error.message}`, { cause: error })));
    child.once("exit", (code) => {
      if (code === 0) resolve();
      else
        reject(
          new LabError("ComponentFailed", `Maven failed (exit ${code}) resolving the JVM stack; last lines of ${logFile}:\n${tailFile(logFile, 20)}`, {
            details: { exitCode: code, logFile },
            hint: "Maven Central must be reachable on the first `up`; a proxy goes in ~/.m2/settings.xml.",
            retriable: true,
          }),
        );
    });
  }).finally(() => closeSync(fd));
}
