import { LabError, describeError } from "../../../services/platform/errors.ts";
import { createHttpConnectClient } from "../../../services/runtime/connect-client.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";

/**
 * Pauses, stops and resumes one connector through Kafka Connect's REST API, so the scenario
 * holds back only its own subject's stream; every other connector on the worker keeps running.
 * PAUSE keeps the task (and Debezium's replication connection) alive; STOP (Kafka 3.5+, KIP-875)
 * shuts the task down but keeps the connector's config and offsets, so RESUME continues from them.
 */
export interface ConnectorControl {
  pause(): Promise<void>;
  stop(): Promise<void>;
  resume(): Promise<void>;
}

type Target = "PAUSED" | "STOPPED" | "RUNNING";

export function createConnectorControl(connectUrl: string, connector: string, timeoutMs: number): ConnectorControl {
  const connect = createHttpConnectClient(connectUrl);

  async function put(action: "pause" | "stop" | "resume"): Promise<void> {
    const url = `${connectUrl}/connectors/${encodeURIComponent(connector)}/${action}`;
    let response: Response;
    try {
      response = await fetch(url, { method: "PUT", signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      throw new LabError("ComponentFailed", `Kafka Connect did not answer PUT ${url}: ${describeError(error)}`, { cause: error, retriable: true, details: { component: "connect", connector } });
    }
    if (response.status !== 202 && response.status !== 204) {
      throw new LabError("ComponentFailed", `Kafka Connect answered ${response.status} to ${action} of ${connector}: ${(await response.text()).slice(0, 300)}`, {
        details: { component: "connect", connector, status: response.status },
      });
    }
  }

  async function reach(target: Target): Promise<void> {
    await waitFor(
      async () => {
        const status = await connect.connectorStatus(connector);
        if (status === null) throw new LabError("ComponentFailed", `connector ${connector} is gone`, { details: { component: "connect", connector } });
        const failed = status.tasks.find((task) => task.state === "FAILED");
        if (failed !== undefined) throw new LabError("ComponentFailed", `task ${failed.id} of ${connector} failed: ${failed.trace?.split("\n")[0] ?? "no trace"}`, { details: { component: "connect", connector } });
        // A stopped connector has no tasks at all; a paused or running one has them in that state.
        const tasksThere = target === "STOPPED" ? status.tasks.length === 0 : status.tasks.length > 0 && status.tasks.every((task) => task.state === target);
        return status.connector.state === target && tasksThere ? true : undefined;
      },
      { what: `connector ${connector} to be ${target}`, timeoutMs, intervalMs: 250 },
    );
  }

  return {
    async pause() {
      await put("pause");
      await reach("PAUSED");
    },
    async stop() {
      await put("stop");
      await reach("STOPPED");
    },
    async resume() {
      await put("resume");
      await reach("RUNNING");
    },
  };
}
