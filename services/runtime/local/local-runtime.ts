import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import type { LabConfig } from "../../platform/config.ts";
import { LabError, describeError } from "../../platform/errors.ts";
import type { Logger } from "../../platform/logger.ts";
import type { Progress } from "../../platform/progress.ts";
import { waitFor } from "../../platform/wait-for.ts";
import { createHttpConnectClient } from "../connect-client.ts";
import { probeKafka } from "../kafka-probe.ts";
import { LAB_CONNECTOR, ensureLabConnector } from "../lab-connector.ts";
import { probePostgres, requireLogicalWal } from "../postgres-probe.ts";
import { isStackUp } from "../runtime.ts";
import type { ComponentName, ComponentStatus, Runtime, StackEndpoints, StackStatus } from "../runtime.ts";
import { connectLogFile, startConnect } from "./connect-worker.ts";
import { findPostgresBinDir, requireJava } from "./executables.ts";
import { ensureJvmDist, jvmPomPath, readPinnedVersions } from "./jvm-dist.ts";
import type { JvmDist } from "./jvm-dist.ts";
import { processMarker } from "./jvm-process.ts";
import { brokerLogFile, newClusterId, prepareBroker, startBroker } from "./kafka-broker.ts";
import { labLayout, readLocalState, writeLocalState } from "./lab-state.ts";
import type { LabLayout, LocalState } from "./lab-state.ts";
import {
  LAB_DATABASE,
  ensureDatabase,
  initCluster,
  logFile as postgresLogFile,
  postmasterPid,
  preparePostgresHome,
  resolveServerUser,
  serverUrl,
  startCluster,
  stopCluster,
} from "./postgres-cluster.ts";
import type { PostgresCluster } from "./postgres-cluster.ts";
import { findFreePort, isPortFree, requirePortFree } from "./ports.ts";
import { isRunning, residentBytes, tailFile, terminate } from "./processes.ts";

type ProcessComponent = Exclude<ComponentName, "connector">;

/**
 * The default runtime: PostgreSQL from the machine's binaries, Kafka (KRaft) and Kafka Connect
 * with Debezium from Maven Central jars, all started, checked and stopped by the lab itself.
 */
export function createLocalRuntime(config: LabConfig, logger: Logger): Runtime {
  const layout = labLayout(config.labDir);
  const log = logger.child({ component: "local-runtime" });

  function endpointsOf(state: LocalState): StackEndpoints {
    return {
      postgresUrl: serverUrl(state.ports.postgres, LAB_DATABASE),
      kafkaBrokers: [`127.0.0.1:${state.ports.kafka}`],
      connectUrl: `http://127.0.0.1:${state.ports.connect}`,
      connectorDatabase: { host: "127.0.0.1", port: state.ports.postgres, user: "postgres", password: "postgres", dbname: LAB_DATABASE },
    };
  }

  function running(state: LocalState | null): Record<ProcessComponent, boolean> {
    return {
      postgres: state !== null && postmasterPid({ home: state.postgresHome }) !== null,
      kafka: state !== null && isRunning(state.pids.kafka, processMarker(layout.labDir, "kafka")),
      connect: state !== null && isRunning(state.pids.connect, processMarker(layout.labDir, "connect")),
    };
  }

  async function choosePorts(state: LocalState | null, alive: Record<ProcessComponent, boolean>): Promise<LocalState["ports"]> {
    const pick = async (configured: number, recorded: number | undefined): Promise<number> => configured || recorded || findFreePort();
    const ports = {
      postgres: await pick(config.ports.postgres, state?.ports.postgres),
      kafka: await pick(config.ports.kafka, state?.ports.kafka),
      controller: await pick(config.ports.controller, state?.ports.controller),
      connect: await pick(config.ports.connect, state?.ports.connect),
    };
    // Checked before anything starts, so a conflict leaves nothing half-started.
    if (!alive.postgres) await requirePortFree(ports.postgres, "postgres", "LAB_PG_PORT");
    if (!alive.kafka) {
      await requirePortFree(ports.kafka, "kafka", "LAB_KAFKA_PORT");
      await requirePortFree(ports.controller, "kafka controller", "LAB_CONTROLLER_PORT");
    }
    if (!alive.connect) await requirePortFree(ports.connect, "connect", "LAB_CONNECT_PORT");
    return ports;
  }

  async function startPostgres(state: LocalState, binDir: string, runAs: PostgresCluster["runAs"], progress: Progress): Promise<void> {
    const cluster: PostgresCluster = { binDir, home: state.postgresHome, port: state.ports.postgres, runAs };
    await progress.step(`postgres: starting on 127.0.0.1:${cluster.port} (${binDir})`, async () => {
      await initCluster(cluster);
      await startCluster(cluster, { maxSlotWalKeepSize: config.maxSlotWalKeepSize });
      await ensureDatabase(cluster.port, LAB_DATABASE);
      requireLogicalWal(await probePostgres(serverUrl(cluster.port, LAB_DATABASE)), `127.0.0.1:${cluster.port}`);
    });
  }

  async function startKafka(state: LocalState, java: string, dist: JvmDist, progress: Progress): Promise<void> {
    const settings = { java, dist, projectDir: config.projectDir, layout, kafkaPort: state.ports.kafka, controllerPort: state.ports.controller, clusterId: state.clusterId };
    await progress.step(`kafka: starting broker ${dist.kafkaVersion} (KRaft) on 127.0.0.1:${state.ports.kafka}`, async () => {
      await prepareBroker(settings);
      state.pids.kafka = startBroker(settings);
      writeLocalState(layout, state);
      await waitFor(
        async () => {
          requireAlive("kafka", state.pids.kafka, brokerLogFile(layout));
          return probeKafka([`127.0.0.1:${state.ports.kafka}`], logger);
        },
        { what: "the Kafka broker to answer metadata", timeoutMs: config.readyTimeoutMs, onTimeout: () => ({ logTail: tailFile(brokerLogFile(layout), 20) }) },
      );
    });
  }

  async function startConnectWorker(state: LocalState, java: string, dist: JvmDist, progress: Progress): Promise<void> {
    const settings = { java, dist, projectDir: config.projectDir, layout, kafkaPort: state.ports.kafka, connectPort: state.ports.connect };
    await progress.step(`connect: starting Kafka Connect with Debezium ${dist.debeziumVersion} on 127.0.0.1:${state.ports.connect}`, async () => {
      state.pids.connect = startConnect(settings);
      writeLocalState(layout, state);
      const client = createHttpConnectClient(endpointsOf(state).connectUrl, 5_000);
      await waitFor(
        async () => {
          requireAlive("connect", state.pids.connect, connectLogFile(layout));
          const plugins = await client.plugins();
          if (!plugins.some((plugin) => plugin.class === "io.debezium.connector.postgresql.PostgresConnector")) {
            throw new LabError("ComponentFailed", `Kafka Connect started without the Debezium PostgreSQL plugin (plugin.path=${dist.pluginsDir})`);
          }
          // In distributed mode REST answers before the worker joined its group; /connectors waits for that.
          await client.connectorNames();
          return true;
        },
        { what: "Kafka Connect's REST API", timeoutMs: config.readyTimeoutMs, onTimeout: () => ({ logTail: tailFile(connectLogFile(layout), 20) }) },
      );
    });
  }

  function requireAlive(component: ProcessComponent, pid: number | null, logFile: string): void {
    if (!isRunning(pid, processMarker(layout.labDir, component))) {
      throw new LabError("ComponentFailed", `${component} exited while starting; last lines of ${logFile}:\n${tailFile(logFile, 20)}`, {
        details: { component, logFile },
      });
    }
  }

  async function stopProcesses(state: LocalState, components: ProcessComponent[], progress: Progress): Promise<ProcessComponent[]> {
    const stopped: ProcessComponent[] = [];
    // Connect first (it writes to Kafka), then the broker, then the database it reads.
    for (const component of ["connect", "kafka", "postgres"] as const) {
      if (!components.includes(component)) continue;
      if (component === "postgres") {
        if (postmasterPid({ home: state.postgresHome }) === null) continue;
        const runAs = await resolveServerUser(config.searchPath);
        const binDir = findPostgresBinDir(config.postgresBinDir, config.searchPath);
        await progress.step("postgres: stopping", () => stopCluster({ binDir, home: state.postgresHome, port: state.ports.postgres, runAs }));
        stopped.push(component);
        continue;
      }
      const pid = state.pids[component];
      if (pid === null) continue;
      const outcome = await progress.step(`${component}: stopping`, () => terminate(pid, processMarker(layout.labDir, component), component === "kafka" ? 30_000 : 15_000), (result) => result);
      if (outcome !== "not-running") stopped.push(component);
      state.pids[component] = null;
      writeLocalState(layout, state);
    }
    return stopped;
  }

  async function status(): Promise<StackStatus> {
    const state = readLocalState(layout);
    const alive = running(state);
    const versions = readPinnedVersions(readFileSync(jvmPomPath(config.projectDir), "utf8"));
    const components: ComponentStatus[] = [];
    const pgPid = state === null ? null : postmasterPid({ home: state.postgresHome });
    let pgVersion: string | null = null;
    let pgDetail: string | null = state === null ? "never started in this lab directory" : alive.postgres ? null : "not running";
    if (state !== null && alive.postgres) {
      try {
        pgVersion = (await probePostgres(serverUrl(state.ports.postgres, LAB_DATABASE))).version;
      } catch (error) {
        pgDetail = describeError(error);
      }
    }
    components.push({ component: "postgres", up: pgVersion !== null, pid: pgPid, port: state?.ports.postgres ?? null, version: pgVersion, detail: pgDetail, rssBytes: pgPid === null ? null : residentBytes(pgPid) });

    let kafkaUp = false;
    let kafkaDetail: string | null = alive.kafka ? null : "not running";
    if (state !== null && alive.kafka) {
      try {
        await probeKafka([`127.0.0.1:${state.ports.kafka}`], logger);
        kafkaUp = true;
      } catch (error) {
        kafkaDetail = describeError(error);
      }
    }
    const kafkaPid = alive.kafka ? (state?.pids.kafka ?? null) : null;
    components.push({ component: "kafka", up: kafkaUp, pid: kafkaPid, port: state?.ports.kafka ?? null, version: versions.kafkaVersion, detail: kafkaDetail, rssBytes: kafkaPid === null ? null : residentBytes(kafkaPid) });

    let connectVersion: string | null = null;
    let connectDetail: string | null = alive.connect ? null : "not running";
    let connectorStatus: ComponentStatus = { component: "connector", up: false, pid: null, port: null, version: null, detail: "Kafka Connect is not running", rssBytes: null };
    if (state !== null && alive.connect) {
      const client = createHttpConnectClient(endpointsOf(state).connectUrl, 5_000);
      try {
        connectVersion = (await client.root()).version;
        connectorStatus = await describeConnector(client);
      } catch (error) {
        connectDetail = describeError(error);
      }
    }
    const connectPid = alive.connect ? (state?.pids.connect ?? null) : null;
    components.push({ component: "connect", up: connectVersion !== null, pid: connectPid, port: state?.ports.connect ?? null, version: connectVersion, detail: connectDetail, rssBytes: connectPid === null ? null : residentBytes(connectPid) });
    // Connect remembers its connector RUNNING while the broker is gone; nothing streams then.
    if (connectorStatus.up && !kafkaUp) connectorStatus = { ...connectorStatus, up: false, detail: `${connectorStatus.detail ?? ""}, but Kafka is down: nothing streams` };
    components.push(connectorStatus);
    return { runtime: "local", up: isStackUp(components), components, endpoints: state === null ? null : endpointsOf(state) };
  }

  return {
    kind: "local",
    status,

    async up(progress) {
      // Every prerequisite is checked before anything starts.
      const java = requireJava(config.javaHome, config.searchPath);
      const binDir = findPostgresBinDir(config.postgresBinDir, config.searchPath);
      const runAs = await resolveServerUser(config.searchPath);
      const dist = await ensureJvmDist({ projectDir: config.projectDir, cacheDir: config.cacheDir, searchPath: config.searchPath, logFile: path.join(layout.logsDir, "maven.log") }, progress);

      const before = await status();
      if (before.up && before.endpoints !== null) {
        progress.note("already up; nothing changed");
        return { alreadyUp: true, started: [], endpoints: before.endpoints, status: before };
      }
      const previous = readLocalState(layout);
      const alive = running(previous);
      const ports = await choosePorts(previous, alive);
      const state: LocalState = {
        version: 1,
        ports,
        clusterId: previous?.clusterId ?? newClusterId(),
        postgresHome: previous?.postgresHome ?? (await preparePostgresHome(layout.defaultPostgresHome, layout.labDir, runAs)),
        pids: { kafka: alive.kafka ? (previous?.pids.kafka ?? null) : null, connect: alive.connect ? (previous?.pids.connect ?? null) : null },
      };
      writeLocalState(layout, state);

      const started: ProcessComponent[] = [];
      try {
        // Each component counts as started before its readiness wait, so a failed wait stops it too.
        if (!alive.postgres) {
          started.push("postgres");
          await startPostgres(state, binDir, runAs, progress);
        }
        if (!alive.kafka) {
          started.push("kafka");
          await startKafka(state, java, dist, progress);
        }
        if (!alive.connect) {
          started.push("connect");
          await startConnectWorker(state, java, dist, progress);
        }
        const endpoints = endpointsOf(state);
        const client = createHttpConnectClient(endpoints.connectUrl);
        await progress.step(
          `connector: ${LAB_CONNECTOR.name} RUNNING, slot active, sentinel row on its topic`,
          () => ensureLabConnector(endpoints, client, logger, config.readyTimeoutMs),
          (ready) => `Debezium ${ready.debeziumVersion ?? "?"}, sentinel took ${ready.sentinelMs} ms`,
        );
        const after = await status();
        return { alreadyUp: false, started, endpoints, status: after };
      } catch (error) {
        log.error({ err: error, started }, "up failed; stopping what this call started");
        await stopProcesses(state, started, progress).catch((stopError: unknown) => {
          // The original failure is the one to report; the failed rollback is logged beside it.
          log.error({ err: stopError }, "could not stop everything after a failed up");
        });
        throw error;
      }
    },

    async down(progress, options) {
      const state = readLocalState(layout);
      const stopped: ComponentName[] = [];
      if (state !== null) {
        stopped.push(...(await stopProcesses(state, ["connect", "kafka", "postgres"], progress)));
        for (const [component, port] of Object.entries(state.ports)) {
          await waitFor(async () => ((await isPortFree(port)) ? true : undefined), { what: `port ${port} (${component}) to be released`, timeoutMs: 15_000 });
        }
      }
      if (options.purge) {
        await progress.step(`purging ${layout.labDir}`, async () => {
          if (state !== null && !state.postgresHome.startsWith(layout.labDir)) rmSync(path.dirname(state.postgresHome), { recursive: true, force: true });
          rmSync(layout.labDir, { recursive: true, force: true });
        });
      }
      return { stopped };
    },

    async logTail(component, lines) {
      const state = readLocalState(layout);
      const files: Record<ProcessComponent, string | null> = {
        postgres: state === null ? null : postgresLogFile({ home: state.postgresHome } as PostgresCluster),
        kafka: brokerLogFile(layout),
        connect: connectLogFile(layout),
      };
      const file = files[component];
      return file === null ? "" : tailFile(file, lines);
    },
  };
}

async function describeConnector(client: ReturnType<typeof createHttpConnectClient>): Promise<ComponentStatus> {
  const status = await client.connectorStatus(LAB_CONNECTOR.name);
  if (status === null) return { component: "connector", up: false, pid: null, port: null, version: null, detail: `${LAB_CONNECTOR.name} is not registered`, rssBytes: null };
  const states = [status.connector.state, ...status.tasks.map((task) => task.state)];
  const up = states.length > 1 && states.every((state) => state === "RUNNING");
  return { component: "connector", up, pid: null, port: null, version: status.connector.version ?? null, detail: `${LAB_CONNECTOR.name}: ${states.join("/")}`, rssBytes: null };
}

export type { LabLayout };
