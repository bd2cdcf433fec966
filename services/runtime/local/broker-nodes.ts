import path from "node:path";
import type { BrokerCount } from "../../platform/config.ts";
import { LabError } from "../../platform/errors.ts";
import type { BrokerComponentName } from "../runtime.ts";
import type { LabLayout, LocalState } from "./lab-state.ts";

/**
 * The KRaft nodes of a local lab. One node keeps the names labs had before a cluster was
 * possible (component and marker `kafka`, `kafka/data`, `logs/kafka.log`), so a lab recorded
 * then still finds its broker. In a cluster each node is `kafka-N` with a directory, a log and
 * a marker of its own; node 1 keeps the `kafka` and `controller` ports (LAB_KAFKA_PORT and
 * LAB_CONTROLLER_PORT), nodes 2 and 3 record `kafka-N` and `controller-N`.
 */
export interface BrokerNode {
  nodeId: number;
  component: "kafka" | BrokerComponentName;
  /** Keys of this node's ports and pid in state.json. */
  portKey: string;
  controllerPortKey: string;
  pidKey: string;
  dir: string;
  dataDir: string;
  logFile: string;
}

export function brokerNodes(layout: LabLayout, count: BrokerCount): BrokerNode[] {
  if (count === 1) {
    return [{ nodeId: 1, component: "kafka", portKey: "kafka", controllerPortKey: "controller", pidKey: "kafka", dir: layout.kafkaDir, dataDir: layout.kafkaDataDir, logFile: path.join(layout.logsDir, "kafka.log") }];
  }
  return Array.from({ length: count }, (_, index) => {
    const nodeId = index + 1;
    const dir = path.join(layout.kafkaDir, `node-${nodeId}`);
    return {
      nodeId,
      component: `kafka-${nodeId}` as const,
      portKey: nodeId === 1 ? "kafka" : `kafka-${nodeId}`,
      controllerPortKey: nodeId === 1 ? "controller" : `controller-${nodeId}`,
      pidKey: nodeId === 1 ? "kafka" : `kafka-${nodeId}`,
      dir,
      dataDir: path.join(dir, "data"),
      logFile: path.join(layout.logsDir, `kafka-${nodeId}.log`),
    };
  });
}

export function brokerPort(state: LocalState, node: BrokerNode): number {
  return requirePort(state, node.portKey);
}

export function controllerPort(state: LocalState, node: BrokerNode): number {
  return requirePort(state, node.controllerPortKey);
}

export function brokerPid(state: LocalState, node: BrokerNode): number | null {
  return state.pids[node.pidKey] ?? null;
}

export function brokerAddresses(state: LocalState, nodes: BrokerNode[]): string[] {
  return nodes.map((node) => `127.0.0.1:${brokerPort(state, node)}`);
}

/** `id@host:port` of every voter: the same static quorum in every node's configuration. */
export function quorumVoters(state: LocalState, nodes: BrokerNode[]): string {
  return nodes.map((node) => `${node.nodeId}@127.0.0.1:${controllerPort(state, node)}`).join(",");
}

/**
 * How every topic is replicated: what a single broker can hold, or what survives the loss of one
 * of three (a write acknowledged by `acks=all` is on at least two brokers).
 */
export interface TopicReplication {
  factor: number;
  minInsyncReplicas: number;
}

export function topicReplication(count: BrokerCount): TopicReplication {
  return count === 1 ? { factor: 1, minInsyncReplicas: 1 } : { factor: 3, minInsyncReplicas: 2 };
}

function requirePort(state: LocalState, key: string): number {
  const port = state.ports[key];
  // lab-state.ts already refuses a state.json whose broker count and ports disagree.
  if (port === undefined) throw new LabError("ConfigInvalid", `the lab's state.json records no port ${key}`, { hint: "Run `cdc-es-lab down --purge` to start from a clean lab directory." });
  return port;
}
