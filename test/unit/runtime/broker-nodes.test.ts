import { describe, expect, it } from "vitest";
import type { LabError } from "../../../services/platform/errors.ts";
import { brokerAddresses, brokerNodes, brokerPid, brokerPort, controllerPort, quorumVoters, topicReplication } from "../../../services/runtime/local/broker-nodes.ts";
import { brokerHeap } from "../../../services/runtime/local/kafka-broker.ts";
import { labLayout } from "../../../services/runtime/local/lab-state.ts";
import type { LocalState } from "../../../services/runtime/local/lab-state.ts";

const layout = labLayout("/labs/a");

const clusterState: LocalState = {
  version: 1,
  brokers: 3,
  ports: { postgres: 5001, kafka: 9001, controller: 9101, connect: 8001, "kafka-2": 9002, "controller-2": 9102, "kafka-3": 9003, "controller-3": 9103 },
  clusterId: "cluster",
  postgresHome: "/labs/a/postgres",
  pids: { kafka: 101, connect: 200, "kafka-2": 102, "kafka-3": null },
};

describe("the KRaft nodes of a local lab", () => {
  it("one broker keeps the names a lab had before clusters: component kafka, kafka/data, logs/kafka.log", () => {
    expect(brokerNodes(layout, 1)).toEqual([
      { nodeId: 1, component: "kafka", portKey: "kafka", controllerPortKey: "controller", pidKey: "kafka", dir: "/labs/a/kafka", dataDir: "/labs/a/kafka/data", logFile: "/labs/a/logs/kafka.log" },
    ]);
  });

  it("three nodes: kafka-1..3, each with a directory and a log; node 1 keeps the kafka and controller ports", () => {
    const nodes = brokerNodes(layout, 3);
    expect(nodes.map((node) => [node.nodeId, node.component, node.portKey, node.controllerPortKey, node.pidKey])).toEqual([
      [1, "kafka-1", "kafka", "controller", "kafka"],
      [2, "kafka-2", "kafka-2", "controller-2", "kafka-2"],
      [3, "kafka-3", "kafka-3", "controller-3", "kafka-3"],
    ]);
    expect(nodes.map((node) => node.dataDir)).toEqual(["/labs/a/kafka/node-1/data", "/labs/a/kafka/node-2/data", "/labs/a/kafka/node-3/data"]);
    expect(new Set(nodes.map((node) => node.logFile)).size).toBe(3);
  });

  it("every node's configuration names the same three voters, on their controller ports", () => {
    const nodes = brokerNodes(layout, 3);
    expect(quorumVoters(clusterState, nodes)).toBe("1@127.0.0.1:9101,2@127.0.0.1:9102,3@127.0.0.1:9103");
    expect(brokerAddresses(clusterState, nodes)).toEqual(["127.0.0.1:9001", "127.0.0.1:9002", "127.0.0.1:9003"]);
    expect(nodes.map((node) => [brokerPort(clusterState, node), controllerPort(clusterState, node), brokerPid(clusterState, node)])).toEqual([
      [9001, 9101, 101],
      [9002, 9102, 102],
      [9003, 9103, null],
    ]);
  });

  it("a state that lacks a node's port is a ConfigInvalid naming it, never an undefined port", () => {
    const second = brokerNodes(layout, 3).filter((node) => node.nodeId === 2);
    const { "kafka-2": missing, ...ports } = clusterState.ports;
    expect(missing).toBe(9002);
    const broken: LocalState = { ...clusterState, ports: ports as LocalState["ports"] };
    expect(() => brokerAddresses(broken, second)).toThrowError(expect.objectContaining({ code: "ConfigInvalid", message: "the lab's state.json records no port kafka-2" }) as LabError);
  });

  it("replication: 1 on one broker; 3 with two in sync on three, so an acknowledged write survives one loss", () => {
    expect(topicReplication(1)).toEqual({ factor: 1, minInsyncReplicas: 1 });
    expect(topicReplication(3)).toEqual({ factor: 3, minInsyncReplicas: 2 });
  });

  it("a node of three gets half the single broker's heap", () => {
    expect(brokerHeap(1)).toEqual({ initialMb: 256, maxMb: 512 });
    expect(brokerHeap(3)).toEqual({ initialMb: 128, maxMb: 256 });
  });
});
