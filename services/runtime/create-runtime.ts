import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { LabConfig, RuntimeKind } from "../platform/config.ts";
import { RUNTIME_KINDS } from "../platform/config.ts";
import type { Logger } from "../platform/logger.ts";
import { createDockerRuntime } from "./docker/docker-runtime.ts";
import { createExternalRuntime } from "./external/external-runtime.ts";
import { createLocalRuntime } from "./local/local-runtime.ts";
import type { Runtime } from "./runtime.ts";

/**
 * Which runtime a command uses: the one asked for (flag or LAB_RUNTIME), else the one the lab
 * directory was last brought up with (so `status` and `down` follow `up --runtime docker`),
 * else `local`.
 */
export function chooseRuntimeKind(config: LabConfig, requested: RuntimeKind | null): RuntimeKind {
  return requested ?? config.runtime ?? recordedRuntimeKind(config.labDir) ?? "local";
}

export function createRuntime(kind: RuntimeKind, config: LabConfig, logger: Logger): Runtime {
  switch (kind) {
    case "local":
      return createLocalRuntime(config, logger);
    case "docker":
      return createDockerRuntime(config, logger);
    case "external":
      return createExternalRuntime(config, logger);
    default: {
      const unknown: never = kind;
      throw new Error(`unknown runtime ${String(unknown)}`);
    }
  }
}

function recordFile(labDir: string): string {
  return path.join(labDir, "runtime");
}

export function recordedRuntimeKind(labDir: string): RuntimeKind | null {
  if (!existsSync(recordFile(labDir))) return null;
  const text = readFileSync(recordFile(labDir), "utf8").trim();
  return (RUNTIME_KINDS as readonly string[]).includes(text) ? (text as RuntimeKind) : null;
}

export function recordRuntimeKind(labDir: string, kind: RuntimeKind): void {
  mkdirSync(labDir, { recursive: true });
  writeFileSync(recordFile(labDir), `${kind}\n`);
}
