import { mkdirSync } from "node:fs";
import path from "node:path";
import type { TopicReplication } from "./broker-nodes.ts";
import type { JvmDist } from "./jvm-dist.ts";
import { javaArgs, processMarker, renderTemplate } from "./jvm-process.ts";
import { log4jConfigPath } from "./kafka-broker.ts";
import type { LabLayout } from "./lab-state.ts";
import { spawnDetached } from "./processes.ts";

export interface ConnectSettings {
  java: string;
  dist: JvmDist;
  projectDir: string;
  layout: LabLayout;
  /** Every broker's `host:port`: the worker must find the cluster while any one of them is down. */
  kafkaBrokers: string[];
  /** The worker's own topics (configs, offsets, status) are replicated as the lab's. */
  replication: TopicReplication;
  connectPort: number;
}

export function connectLogFile(layout: LabLayout): string {
  return path.join(layout.logsDir, "connect.log");
}

export function startConnect(settings: ConnectSettings): number {
  mkdirSync(settings.layout.connectDir, { recursive: true });
  mkdirSync(settings.layout.logsDir, { recursive: true });
  const workerProperties = path.join(settings.layout.connectDir, "worker.properties");
  renderTemplate(
    settings.projectDir,
    "connect-distributed.properties.template",
    {
      BOOTSTRAP_SERVERS: settings.kafkaBrokers.join(","),
      REPLICATION_FACTOR: String(settings.replication.factor),
      PRODUCER_GUARANTEES: settings.replication.factor > 1 ? "producer.acks=all\nproducer.enable.idempotence=true" : "# one broker: Connect's defaults",
      CONNECT_PORT: String(settings.connectPort),
      PLUGIN_DIR: settings.dist.pluginsDir,
    },
    workerProperties,
  );
  const args = javaArgs(settings.dist, log4jConfigPath(settings), processMarker(settings.layout.labDir, "connect"), {
    heap: { initialMb: 128, maxMb: 512 },
    mainClass: "org.apache.kafka.connect.cli.ConnectDistributed",
    args: [workerProperties],
  });
  return spawnDetached(settings.java, args, connectLogFile(settings.layout), settings.layout.connectDir).pid;
}
