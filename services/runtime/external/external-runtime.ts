import type { LabConfig } from "../../platform/config.ts";
import { LabError, describeError } from "../../platform/errors.ts";
import type { Logger } from "../../platform/logger.ts";
import { createHttpConnectClient } from "../connect-client.ts";
import { probeKafka } from "../kafka-probe.ts";
import { LAB_CONNECTOR, ensureLabConnector } from "../lab-connector.ts";
import { probePostgres, redactUrl, requireLogicalWal } from "../postgres-probe.ts";
import { isStackUp } from "../runtime.ts";
import type { ComponentStatus, Runtime, StackEndpoints, StackStatus } from "../runtime.ts";

/**
 * A cluster someone else runs: the lab starts and stops nothing, it checks what it was given
 * and registers its sentinel connector there.
 */
export function createExternalRuntime(config: LabConfig, logger: Logger): Runtime {
  const external = config.external;
  if (external === null) {
    throw new LabError("ConfigInvalid", "the external runtime needs LAB_POSTGRES_URL, LAB_KAFKA_BROKERS and LAB_CONNECT_URL", {
      hint: "Example: LAB_POSTGRES_URL=postgresql://user:pw@db:5432/cart LAB_KAFKA_BROKERS=k1:9092 LAB_CONNECT_URL=http://connect:8083",
    });
  }
  const pgUrl = new URL(external.postgresUrl);
  const endpoints: StackEndpoints = {
    postgresUrl: external.postgresUrl,
    kafkaBrokers: external.kafkaBrokers,
    connectUrl: external.connectUrl,
    connectorDatabase: {
      host: external.connectDatabaseHost ?? pgUrl.hostname,
      port: external.connectDatabasePort ?? Number(pgUrl.port || 5432),
      user: decodeURIComponent(pgUrl.username || "postgres"),
      password: decodeURIComponent(pgUrl.password),
      dbname: decodeURIComponent(pgUrl.pathname.replace(/^\//, "")) || "postgres",
    },
  };
  const connect = createHttpConnectClient(endpoints.connectUrl);

  async function status(): Promise<StackStatus> {
    const components: ComponentStatus[] = [];
    const base = { pid: null, rssBytes: null };
    try {
      const facts = await probePostgres(endpoints.postgresUrl);
      components.push({ component: "postgres", up: facts.walLevel === "logical", port: Number(pgUrl.port || 5432), version: facts.version, detail: `wal_level=${facts.walLevel}`, ...base });
    } catch (error) {
      components.push({ component: "postgres", up: false, port: Number(pgUrl.port || 5432), version: null, detail: describeError(error), ...base });
    }
    try {
      const facts = await probeKafka(endpoints.kafkaBrokers, logger);
      components.push({ component: "kafka", up: true, port: null, version: null, detail: `${facts.brokers} broker(s), cluster ${facts.clusterId}`, ...base });
    } catch (error) {
      components.push({ component: "kafka", up: false, port: null, version: null, detail: describeError(error), ...base });
    }
    try {
      const root = await connect.root();
      components.push({ component: "connect", up: true, port: null, version: root.version, detail: null, ...base });
      const connector = await connect.connectorStatus(LAB_CONNECTOR.name);
      const states = connector === null ? [] : [connector.connector.state, ...connector.tasks.map((task) => task.state)];
      components.push({
        component: "connector",
        up: states.length > 1 && states.every((state) => state === "RUNNING"),
        port: null,
        version: connector?.connector.version ?? null,
        detail: connector === null ? `${LAB_CONNECTOR.name} is not registered` : `${LAB_CONNECTOR.name}: ${states.join("/")}`,
        ...base,
      });
    } catch (error) {
      components.push({ component: "connect", up: false, port: null, version: null, detail: describeError(error), ...base });
      components.push({ component: "connector", up: false, port: null, version: null, detail: "Kafka Connect did not answer", ...base });
    }
    return { runtime: "external", up: isStackUp(components), components, endpoints };
  }

  return {
    kind: "external",
    status,
    async up(progress) {
      const before = await status();
      if (before.up) {
        progress.note("already up; nothing changed");
        return { alreadyUp: true, started: [], endpoints, status: before };
      }
      await progress.step(`postgres: checking ${redactUrl(endpoints.postgresUrl)}`, async () => {
        requireLogicalWal(await probePostgres(endpoints.postgresUrl), redactUrl(endpoints.postgresUrl));
      });
      await progress.step(`kafka: checking ${endpoints.kafkaBrokers.join(",")}`, () => probeKafka(endpoints.kafkaBrokers, logger));
      await progress.step(`connect: checking ${endpoints.connectUrl}`, async () => {
        const plugins = await connect.plugins();
        if (!plugins.some((plugin) => plugin.class === "io.debezium.connector.postgresql.PostgresConnector")) {
          throw new LabError("ExternalStackInvalid", `Kafka Connect at ${endpoints.connectUrl} has no Debezium PostgreSQL connector plugin`, {
            hint: "Install debezium-connector-postgres into the workers' plugin.path.",
          });
        }
      });
      await progress.step(`connector: ${LAB_CONNECTOR.name} RUNNING, slot active, sentinel row on its topic`, () =>
        ensureLabConnector(endpoints, connect, logger, config.readyTimeoutMs),
      );
      return { alreadyUp: false, started: ["connector"], endpoints, status: await status() };
    },
    async down(progress) {
      progress.note("external runtime: the lab started no process here, so there is nothing to stop");
      return { stopped: [] };
    },
    async logTail() {
      return "";
    },
  };
}
