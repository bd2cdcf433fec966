import { z } from "zod";
import { LabError, describeError } from "../platform/errors.ts";

/** Kafka Connect's REST API, decoded at the edge. */
const RootSchema = z.object({ version: z.string(), commit: z.string().optional(), kafka_cluster_id: z.string().optional() });
const PluginsSchema = z.array(z.object({ class: z.string(), type: z.string().nullish(), version: z.string().nullish() }));
const TaskStateSchema = z.object({ id: z.number(), state: z.string(), worker_id: z.string().nullish(), trace: z.string().nullish(), version: z.string().nullish() });
const StatusSchema = z.object({
  name: z.string(),
  connector: z.object({ state: z.string(), worker_id: z.string().nullish(), trace: z.string().nullish(), version: z.string().nullish() }),
  tasks: z.array(TaskStateSchema),
});
export type ConnectorStatus = z.infer<typeof StatusSchema>;

export interface ConnectClient {
  root(): Promise<z.infer<typeof RootSchema>>;
  plugins(): Promise<z.infer<typeof PluginsSchema>>;
  putConnectorConfig(name: string, config: Record<string, string>): Promise<void>;
  /** null when the connector does not exist. */
  connectorStatus(name: string): Promise<ConnectorStatus | null>;
  connectorNames(): Promise<string[]>;
  deleteConnector(name: string): Promise<void>;
}

export function createHttpConnectClient(baseUrl: string, timeoutMs = 10_000): ConnectClient {
  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new LabError("ComponentFailed", `Kafka Connect at ${baseUrl} did not answer ${method} ${path}: ${describeError(error)}`, {
        cause: error,
        retriable: true,
        details: { component: "connect", baseUrl, path },
      });
    }
    const text = await response.text();
    let json: unknown = null;
    if (text !== "") {
      try {
        json = JSON.parse(text);
      } catch (error) {
        // While the worker starts, Jetty answers with HTML error pages; those are a status, not data.
        if (response.ok) throw new LabError("DecodeFailed", `Kafka Connect answered ${method} ${path} with non-JSON: ${text.slice(0, 200)}`, { cause: error });
        json = text.slice(0, 500);
      }
    }
    return { status: response.status, json };
  }

  function expectOk(method: string, path: string, result: { status: number; json: unknown }): unknown {
    if (result.status >= 200 && result.status < 300) return result.json;
    const body = typeof result.json === "string" ? "(an HTML page: the REST API is not up yet)" : JSON.stringify(result.json);
    throw new LabError("ComponentFailed", `Kafka Connect ${method} ${path} answered ${result.status}: ${body}`, {
      details: { component: "connect", status: result.status, body: result.json },
      // 409 is a rebalance in progress; 5xx, or an HTML page instead of Connect's JSON error,
      // is a worker still starting.
      retriable: result.status === 409 || result.status >= 500 || typeof result.json === "string",
    });
  }

  function decode<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new LabError("DecodeFailed", `unexpected ${what} from Kafka Connect: ${parsed.error.message}`, { details: { value } });
    }
    return parsed.data;
  }

  return {
    async root() {
      return decode(RootSchema, expectOk("GET", "/", await call("GET", "/")), "root document");
    },
    async plugins() {
      return decode(PluginsSchema, expectOk("GET", "/connector-plugins", await call("GET", "/connector-plugins")), "plugin list");
    },
    async putConnectorConfig(name, config) {
      const path = `/connectors/${encodeURIComponent(name)}/config`;
      expectOk("PUT", path, await call("PUT", path, config));
    },
    async connectorStatus(name) {
      const path = `/connectors/${encodeURIComponent(name)}/status`;
      const result = await call("GET", path);
      if (result.status === 404) return null;
      return decode(StatusSchema, expectOk("GET", path, result), "connector status");
    },
    async connectorNames() {
      return decode(z.array(z.string()), expectOk("GET", "/connectors", await call("GET", "/connectors")), "connector list");
    },
    async deleteConnector(name) {
      const path = `/connectors/${encodeURIComponent(name)}`;
      const result = await call("DELETE", path);
      if (result.status === 404) return;
      expectOk("DELETE", path, result);
    },
  };
}
