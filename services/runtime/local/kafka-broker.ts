import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { LabError, describeError } from "../../platform/errors.ts";
import type { BrokerNode, TopicReplication } from "./broker-nodes.ts";
import type { JvmDist } from "./jvm-dist.ts";
import { javaArgs, processMarker, renderTemplate } from "./jvm-process.ts";
import type { JvmLaunch } from "./jvm-process.ts";
import type { LabLayout } from "./lab-state.ts";
import { spawnDetached } from "./processes.ts";

const run = promisify(execFile);

export interface BrokerSettings {
  java: string;
  dist: JvmDist;
  projectDir: string;
  layout: LabLayout;
  node: BrokerNode;
  kafkaPort: number;
  controllerPort: number;
  /** Every voter of the quorum, `id@host:port,...`: the same in every node's configuration. */
  quorumVoters: string;
  replication: TopicReplication;
  /** Nodes in the cluster: a node of three gets a smaller heap, so three fit beside the rest. */
  clusterSize: number;
  clusterId: string;
}

/** KRaft wants a 22-character base64url id, the form `kafka-storage random-uuid` prints. */
export function newClusterId(): string {
  return randomBytes(16).toString("base64url");
}

export function log4jConfigPath(settings: Pick<BrokerSettings, "projectDir">): string {
  return path.join(settings.projectDir, "infra", "jvm", "conf", "log4j2.properties");
}

/**
 * The single broker keeps the heap it always had; a node of three gets half, since a lab's
 * topics are small and three of them share the machine with PostgreSQL and Connect.
 */
export function brokerHeap(clusterSize: number): JvmLaunch["heap"] {
  return clusterSize === 1 ? { initialMb: 256, maxMb: 512 } : { initialMb: 128, maxMb: 256 };
}

function serverProperties(settings: BrokerSettings): string {
  return path.join(settings.node.dir, "server.properties");
}

/** Writes the node's server.properties and formats its storage once (the storage keeps the cluster id). */
export async function prepareBroker(settings: BrokerSettings): Promise<void> {
  mkdirSync(settings.node.dataDir, { recursive: true });
  renderTemplate(
    settings.projectDir,
    "server.properties.template",
    {
      NODE_ID: String(settings.node.nodeId),
      QUORUM_VOTERS: settings.quorumVoters,
      KAFKA_PORT: String(settings.kafkaPort),
      CONTROLLER_PORT: String(settings.controllerPort),
      DATA_DIR: settings.node.dataDir,
      REPLICATION_FACTOR: String(settings.replication.factor),
      MIN_INSYNC_REPLICAS: String(settings.replication.minInsyncReplicas),
    },
    serverProperties(settings),
  );
  if (existsSync(path.join(settings.node.dataDir, "meta.properties"))) return;
  const args = javaArgs(settings.dist, log4jConfigPath(settings), processMarker(settings.layout.labDir, `${settings.node.component}-storage`), {
    heap: { initialMb: 64, maxMb: 256 },
    mainClass: "kafka.tools.StorageTool",
    args: ["format", "-t", settings.clusterId, "-c", serverProperties(settings), "--ignore-formatted"],
  });
  try {
    await run(settings.java, args, { timeout: 120_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? "";
    throw new LabError("ComponentFailed", `formatting the storage of ${settings.node.component} failed: ${describeError(error)}\n${stderr.trim()}`, {
      cause: error,
      details: { component: settings.node.component },
    });
  }
}

export function startBroker(settings: BrokerSettings): number {
  mkdirSync(settings.layout.logsDir, { recursive: true });
  const args = javaArgs(settings.dist, log4jConfigPath(settings), processMarker(settings.layout.labDir, settings.node.component), {
    heap: brokerHeap(settings.clusterSize),
    mainClass: "kafka.Kafka",
    args: [serverProperties(settings)],
  });
  return spawnDetached(settings.java, args, settings.node.logFile, settings.node.dir).pid;
}
