import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { LabError, describeError } from "../../platform/errors.ts";
import type { JvmDist } from "./jvm-dist.ts";
import { javaArgs, processMarker, renderTemplate } from "./jvm-process.ts";
import type { LabLayout } from "./lab-state.ts";
import { spawnDetached } from "./processes.ts";

const run = promisify(execFile);

export interface BrokerSettings {
  java: string;
  dist: JvmDist;
  projectDir: string;
  layout: LabLayout;
  kafkaPort: number;
  controllerPort: number;
  clusterId: string;
}

/** KRaft wants a 22-character base64url id, the form `kafka-storage random-uuid` prints. */
export function newClusterId(): string {
  return randomBytes(16).toString("base64url");
}

export function brokerLogFile(layout: LabLayout): string {
  return path.join(layout.logsDir, "kafka.log");
}

export function log4jConfigPath(settings: Pick<BrokerSettings, "projectDir">): string {
  return path.join(settings.projectDir, "infra", "jvm", "conf", "log4j2.properties");
}

function serverProperties(settings: BrokerSettings): string {
  return path.join(settings.layout.kafkaDir, "server.properties");
}

/** Writes server.properties and formats the storage once (the storage keeps the cluster id). */
export async function prepareBroker(settings: BrokerSettings): Promise<void> {
  mkdirSync(settings.layout.kafkaDataDir, { recursive: true });
  renderTemplate(
    settings.projectDir,
    "server.properties.template",
    { KAFKA_PORT: String(settings.kafkaPort), CONTROLLER_PORT: String(settings.controllerPort), DATA_DIR: settings.layout.kafkaDataDir },
    serverProperties(settings),
  );
  if (existsSync(path.join(settings.layout.kafkaDataDir, "meta.properties"))) return;
  const args = javaArgs(settings.dist, log4jConfigPath(settings), processMarker(settings.layout.labDir, "kafka-storage"), {
    heap: { initialMb: 64, maxMb: 256 },
    mainClass: "kafka.tools.StorageTool",
    args: ["format", "-t", settings.clusterId, "-c", serverProperties(settings), "--ignore-formatted"],
  });
  try {
    await run(settings.java, args, { timeout: 120_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? "";
    throw new LabError("ComponentFailed", `formatting Kafka's storage failed: ${describeError(error)}\n${stderr.trim()}`, {
      cause: error,
      details: { component: "kafka" },
    });
  }
}

export function startBroker(settings: BrokerSettings): number {
  mkdirSync(settings.layout.logsDir, { recursive: true });
  const args = javaArgs(settings.dist, log4jConfigPath(settings), processMarker(settings.layout.labDir, "kafka"), {
    heap: { initialMb: 256, maxMb: 512 },
    mainClass: "kafka.Kafka",
    args: [serverProperties(settings)],
  });
  return spawnDetached(settings.java, args, brokerLogFile(settings.layout), settings.layout.kafkaDir).pid;
}
