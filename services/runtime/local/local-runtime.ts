import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import type { Dirent } from "node:fs";
import path from "node:path";
import type { BrokerCount, LabConfig } from "../../platform/config.ts";
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
import { brokerAddresses, brokerNodes, brokerPid, brokerPort, controllerPort, quorumVoters, topicReplication } from "./broker-nodes.ts";
import type { BrokerNode } from "./broker-nodes.ts";
import { connectLogFile, startConnect } from "./connect-worker.ts";
import { findPostgresBinDir, requireJava } from "./executables.ts";
import { ensureJvmDist, jvmPomPath, readPinnedVersions } from "./jvm-dist.ts";
import type { JvmDist } from "./jvm-dist.ts";
import { processMarker } from "./jvm-process.ts";
import { newClusterId, prepareBroker, startBroker } from "./kafka-broker.ts";
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
import { findFreePortExcept, isPortFree, requirePortFree } from "./ports.ts";
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
      kafkaBrokers: brokerAddresses(state, nodesOf(state)),
      connectUrl: `http://127.0.0.1:${state.ports.connect}`,
      connectorDatabase: { host: "127.0.0.1", port: state.ports.postgres, user: "postgres", password: "postgres", dbname: LAB_DATABASE },
    };
  }

  function nodesOf(state: LocalState | null): BrokerNode[] {
    return brokerNodes(layout, state?.brokers ?? 1);
  }

  function brokerAlive(state: LocalState, node: BrokerNode): boolean {
    return isRunning(brokerPid(state, node), processMarker(layout.labDir, node.component));
  }

  /** `kafka` is running when every broker of the lab runs: `up` starts the ones that do not. */
  function running(state: LocalState | null): Record<ProcessComponent, boolean> {
    return {
      postgres: state !== null && postmasterPid({ home: state.postgresHome }) !== null,
      kafka: state !== null && nodesOf(state).every((node) => brokerAlive(state, node)),
      connect: state !== null && isRunning(state.pids.connect, processMarker(layout.labDir, "connect")),
    };
  }

  /**
   * A lab keeps the broker count of its first `up`: turning one broker into three in place would
   * need a new quorum and every topic re-replicated, which is a new lab.
   */
  function chooseBrokerCount(previous: LocalState | null, asked: BrokerCount | null): BrokerCount {
    if (previous === null) return asked ?? 1;
    if (asked !== null && asked !== previous.brokers) {
      throw new LabError("ConfigInvalid", `this lab was started with ${previous.brokers} broker${previous.brokers === 1 ? "" : "s"}; it cannot change to ${asked} in place`, {
        details: { recorded: previous.brokers, asked, labDir: layout.labDir },
        hint: `Run \`cdc-es-lab down --purge\` first (it deletes this lab's data), then \`cdc-es-lab up --brokers ${asked}\`; or use another LAB_DIR.`,
      });
    }
    return previous.brokers;
  }

  async function choosePorts(state: LocalState | null, alive: Record<ProcessComponent, boolean>, nodes: BrokerNode[]): Promise<LocalState["ports"]> {
    const taken = new Set<number>();
    const pick = async (configured: number, recorded: number | undefined): Promise<number> => {
      const port = configured || recorded || (await findFreePortExcept(taken));
      taken.add(port);
      return port;
    };
    const ports: LocalState["ports"] = {
      postgres: await pick(config.ports.postgres, state?.ports.postgres),
      kafka: await pick(config.ports.kafka, state?.ports.kafka),
      controller: await pick(config.ports.controller, state?.ports.controller),
      connect: await pick(config.ports.connect, state?.ports.connect),
    };
    // Nodes 2 and 3 have no variable of their own: their ports are chosen once and recorded.
    for (const node of nodes.slice(1)) {
      ports[node.portKey] = await pick(0, state?.ports[node.portKey]);
      ports[node.controllerPortKey] = await pick(0, state?.ports[node.controllerPortKey]);
    }
    // Checked before anything starts, so a conflict leaves nothing half-started.
    if (!alive.postgres) await requirePortFree(ports.postgres, "postgres", "LAB_PG_PORT");
    for (const node of nodes) {
      if (state !== null && brokerAlive(state, node)) continue;
      const first = node.nodeId === 1;
      await requirePortFree(ports[node.portKey] ?? 0, node.component, first ? "LAB_KAFKA_PORT" : null);
      await requirePortFree(ports[node.controllerPortKey] ?? 0, `${node.component} controller`, first ? "LAB_CONTROLLER_PORT" : null);
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

  /**
   * Starts the given nodes (all of them, or the ones found dead) and waits until the cluster
   * answers with every broker registered: with three, a quorum forms only once two voters run, so
   * the nodes start together rather than one after the other.
   */
  async function startKafka(state: LocalState, toStart: BrokerNode[], java: string, dist: JvmDist, progress: Progress): Promise<void> {
    const nodes = nodesOf(state);
    const addresses = brokerAddresses(state, nodes);
    const settingsOf = (node: BrokerNode) => ({
      java,
      dist,
      projectDir: config.projectDir,
      layout,
      node,
      kafkaPort: brokerPort(state, node),
      controllerPort: controllerPort(state, node),
      quorumVoters: quorumVoters(state, nodes),
      replication: topicReplication(state.brokers),
      clusterSize: nodes.length,
      clusterId: state.clusterId,
    });
    const what =
      nodes.length === 1
        ? `kafka: starting broker ${dist.kafkaVersion} (KRaft) on ${addresses.join(",")}`
        : `kafka: starting ${toStart.map((node) => node.component).join(", ")} of a ${nodes.length}-broker KRaft cluster ${dist.kafkaVersion} on ${addresses.join(",")}`;
    await progress.step(what, async () => {
      await Promise.all(toStart.map((node) => prepareBroker(settingsOf(node))));
      for (const node of toStart) {
        state.pids[node.pidKey] = startBroker(settingsOf(node));
        writeLocalState(layout, state);
      }
      await waitFor(
        async () => {
          for (const node of toStart) requireAlive(node.component, brokerPid(state, node), node.logFile);
          // A node killed a moment ago stays registered until its session times out (9 s), so
          // the count alone could pass before the restarted one runs: each must answer itself
          // (a KRaft broker opens its listener only once it caught up and was unfenced).
          for (const node of toStart) await probeKafka([`127.0.0.1:${brokerPort(state, node)}`], logger);
          const facts = await probeKafka(addresses, logger);
          return facts.brokers === nodes.length ? facts : undefined;
        },
        {
          what: nodes.length === 1 ? "the Kafka broker to answer metadata" : `all ${nodes.length} Kafka brokers to be registered in the cluster`,
          timeoutMs: config.readyTimeoutMs,
          onTimeout: () => ({ logTail: toStart.map((node) => `${node.component}:\n${tailFile(node.logFile, 20)}`).join("\n") }),
        },
      );
    });
  }

  async function startConnectWorker(state: LocalState, java: string, dist: JvmDist, progress: Progress): Promise<void> {
    const settings = { java, dist, projectDir: config.projectDir, layout, kafkaBrokers: endpointsOf(state).kafkaBrokers, replication: topicReplication(state.brokers), connectPort: state.ports.connect };
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

  function requireAlive(component: ProcessComponent | BrokerNode["component"], pid: number | null, logFile: string): void {
    if (!isRunning(pid, processMarker(layout.labDir, component))) {
      throw new LabError("ComponentFailed", `${component} exited while starting; last lines of ${logFile}:\n${tailFile(logFile, 20)}`, {
        details: { component, logFile },
      });
    }
  }

  /**
   * The nodes of a cluster stop together: a KRaft node's controlled shutdown asks the quorum, so
   * stopping them one by one leaves the last without a quorum, waiting out its grace period.
   */
  async function stopBrokers(state: LocalState, nodes: BrokerNode[], progress: Progress): Promise<boolean> {
    const what = nodes.length === 1 && nodes[0]?.component === "kafka" ? "kafka: stopping" : `kafka: stopping ${nodes.map((node) => node.component).join(", ")}`;
    const outcomes = await progress.step(
      what,
      () =>
        Promise.all(
          nodes.map(async (node) => {
            const pid = brokerPid(state, node);
            return pid === null ? "not-running" : terminate(pid, processMarker(layout.labDir, node.component), 30_000);
          }),
        ),
      (results) => results.join(", "),
    );
    for (const node of nodes) state.pids[node.pidKey] = null;
    writeLocalState(layout, state);
    return outcomes.some((outcome) => outcome !== "not-running");
  }

  /** `brokers` narrows `kafka` to some nodes (a failed `up` stops only the ones it started). */
  async function stopProcesses(state: LocalState, components: ProcessComponent[], progress: Progress, brokers: BrokerNode[] = nodesOf(state)): Promise<ProcessComponent[]> {
    const stopped: ProcessComponent[] = [];
    // Connect first (it writes to Kafka), then the brokers, then the database it reads.
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
      if (component === "kafka") {
        const alive = brokers.filter((node) => brokerPid(state, node) !== null);
        if (alive.length > 0 && (await stopBrokers(state, alive, progress))) stopped.push(component);
        continue;
      }
      const pid = state.pids[component];
      if (pid === null) continue;
      const outcome = await progress.step(`${component}: stopping`, () => terminate(pid, processMarker(layout.labDir, component), 15_000), (result) => result);
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

    const kafka = state !== null && state.brokers > 1 ? await clusterStatus(state, versions.kafkaVersion) : await singleBrokerStatus(state, alive.kafka, versions.kafkaVersion);
    components.push(...kafka);
    const kafkaUp = kafka[0]?.up === true;

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

  async function singleBrokerStatus(state: LocalState | null, alive: boolean, version: string): Promise<ComponentStatus[]> {
    let up = false;
    let detail: string | null = alive ? null : "not running";
    if (state !== null && alive) {
      try {
        await probeKafka(brokerAddresses(state, nodesOf(state)), logger);
        up = true;
      } catch (error) {
        detail = describeError(error);
      }
    }
    const pid = alive ? (state?.pids.kafka ?? null) : null;
    return [{ component: "kafka", up, pid, port: state?.ports.kafka ?? null, version, detail, rssBytes: pid === null ? null : residentBytes(pid) }];
  }

  /**
   * `kafka` is the cluster (it answers, and how many brokers it has registered; its memory is the
   * nodes' sum), then one `kafka-N` per node: its process, and whether it answers on its own port.
   * The stack counts as up only with every node up, so `up` restarts a node that died.
   */
  async function clusterStatus(state: LocalState, version: string): Promise<ComponentStatus[]> {
    const nodes = nodesOf(state);
    const nodeRows = await Promise.all(
      nodes.map(async (node): Promise<ComponentStatus> => {
        const port = brokerPort(state, node);
        const pid = brokerAlive(state, node) ? brokerPid(state, node) : null;
        const base = { component: node.component, pid, port, version, rssBytes: pid === null ? null : residentBytes(pid) };
        if (pid === null) return { ...base, up: false, detail: "not running" };
        try {
          await probeKafka([`127.0.0.1:${port}`], logger);
          return { ...base, up: true, detail: `node ${node.nodeId}, broker and controller (controller port ${controllerPort(state, node)})` };
        } catch (error) {
          return { ...base, up: false, detail: describeError(error) };
        }
      }),
    );
    const down = nodeRows.filter((row) => !row.up).map((row) => row.component);
    const replication = topicReplication(state.brokers);
    const memory = nodeRows.reduce((sum, row) => sum + (row.rssBytes ?? 0), 0);
    let cluster: ComponentStatus = { component: "kafka", up: false, pid: null, port: null, version, detail: "no broker is running", rssBytes: memory === 0 ? null : memory };
    if (down.length < nodes.length) {
      try {
        // Through the nodes that answered: a probe does not retry, so a dead seed would fail it.
        const facts = await probeKafka(brokerAddresses(state, nodes.filter((node) => !down.includes(node.component))), logger);
        const lost = down.length === 0 ? "" : ` (${down.join(", ")} down: writes go on while ${replication.minInsyncReplicas} replicas are in sync)`;
        cluster = { ...cluster, up: true, detail: `${facts.brokers} of ${nodes.length} brokers registered, replication factor ${replication.factor}, min.insync.replicas ${replication.minInsyncReplicas}${lost}` };
      } catch (error) {
        cluster = { ...cluster, detail: describeError(error) };
      }
    }
    return [cluster, ...nodeRows];
  }

  return {
    kind: "local",
    status,

    async up(progress, options) {
      // The broker count and every prerequisite are checked before anything starts.
      const previous = readLocalState(layout);
      const brokers = chooseBrokerCount(previous, options?.brokers ?? config.brokers);
      const java = requireJava(config.javaHome, config.searchPath);
      const binDir = findPostgresBinDir(config.postgresBinDir, config.searchPath);
      const runAs = await resolveServerUser(config.searchPath);
      const dist = await ensureJvmDist({ projectDir: config.projectDir, cacheDir: config.cacheDir, searchPath: config.searchPath, logFile: path.join(layout.logsDir, "maven.log") }, progress);

      const before = await status();
      if (before.up && before.endpoints !== null) {
        progress.note("already up; nothing changed");
        return { alreadyUp: true, started: [], endpoints: before.endpoints, status: before };
      }
      const alive = running(previous);
      const nodes = brokerNodes(layout, brokers);
      const deadNodes = nodes.filter((node) => previous === null || !brokerAlive(previous, node));
      const ports = await choosePorts(previous, alive, nodes);
      const pids: LocalState["pids"] = { kafka: null, connect: alive.connect ? (previous?.pids.connect ?? null) : null };
      for (const node of nodes) pids[node.pidKey] = previous !== null && !deadNodes.includes(node) ? brokerPid(previous, node) : null;
      const state: LocalState = {
        version: 1,
        brokers,
        ports,
        clusterId: previous?.clusterId ?? newClusterId(),
        postgresHome: previous?.postgresHome ?? (await preparePostgresHome(layout.defaultPostgresHome, layout.labDir, runAs)),
        pids,
      };
      writeLocalState(layout, state);

      const started: ProcessComponent[] = [];
      try {
        // Each component counts as started before its readiness wait, so a failed wait stops it too.
        if (!alive.postgres) {
          started.push("postgres");
          await startPostgres(state, binDir, runAs, progress);
        }
        if (deadNodes.length > 0) {
          started.push("kafka");
          await startKafka(state, deadNodes, java, dist, progress);
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
        await stopProcesses(state, started, progress, deadNodes).catch((stopError: unknown) => {
          // The original failure is the one to report; the failed rollback is logged beside it.
          log.error({ err: stopError }, "could not stop everything after a failed up");
        });
        throw error;
      }
    },

    async down(progress, options) {
      // Checked before anything stops: a purge never deletes a lab nested in this one.
      if (options.purge) refuseNestedLabs(layout.labDir);
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
      if (component === "kafka") {
        const nodes = nodesOf(state);
        // A cluster's log is each node's, one after the other, each under its name.
        if (nodes.length === 1) return tailFile(nodes[0]?.logFile ?? "", lines);
        return nodes.map((node) => `--- ${node.component} (${node.logFile}) ---\n${tailFile(node.logFile, lines)}`).join("\n");
      }
      const files: Record<Exclude<ProcessComponent, "kafka">, string | null> = {
        postgres: state === null ? null : postgresLogFile({ home: state.postgresHome } as PostgresCluster),
        connect: connectLogFile(layout),
      };
      const file = files[component];
      return file === null ? "" : tailFile(file, lines);
    },
  };
}

/**
 * `down --purge` deletes the whole lab directory. The default one (`.lab`) holds the tests' labs
 * under `.lab/test/` (the shared test stack among them), so purging it would delete their data
 * under their running processes: refused while any other lab's state.json lies beneath it.
 */
function refuseNestedLabs(labDir: string): void {
  const nested: string[] = [];
  const visit = (dir: string, depth: number): void => {
    if (depth > 4) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      // No lab directory yet: nothing to protect. Anything else is worth failing on.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw new LabError("ComponentFailed", `cannot read ${dir} before purging it: ${describeError(error)}`, { cause: error });
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.isSymbolicLink()) continue;
      const child = path.join(dir, entry.name);
      if (existsSync(path.join(child, "state.json"))) nested.push(child);
      else visit(child, depth + 1);
    }
  };
  visit(labDir, 1);
  if (nested.length > 0) {
    throw new LabError("ConfigInvalid", `${labDir} holds other labs (${nested.join(", ")}): --purge would delete their data under their running processes`, {
      details: { labDir, nested },
      hint: "Purge each lab with its own LAB_DIR, or stop and remove them by hand; `down` without --purge stops this lab and deletes nothing.",
    });
  }
}

async function describeConnector(client: ReturnType<typeof createHttpConnectClient>): Promise<ComponentStatus> {
  const status = await client.connectorStatus(LAB_CONNECTOR.name);
  if (status === null) return { component: "connector", up: false, pid: null, port: null, version: null, detail: `${LAB_CONNECTOR.name} is not registered`, rssBytes: null };
  const states = [status.connector.state, ...status.tasks.map((task) => task.state)];
  const up = states.length > 1 && states.every((state) => state === "RUNNING");
  return { component: "connector", up, pid: null, port: null, version: status.connector.version ?? null, detail: `${LAB_CONNECTOR.name}: ${states.join("/")}`, rssBytes: null };
}

export type { LabLayout };
