import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { z } from "zod";
import type { LabConfig } from "../../platform/config.ts";
import { LabError, describeError } from "../../platform/errors.ts";
import type { Logger } from "../../platform/logger.ts";
import { createHttpConnectClient } from "../connect-client.ts";
import { probeKafka } from "../kafka-probe.ts";
import { LAB_CONNECTOR, ensureLabConnector } from "../lab-connector.ts";
import { probePostgres } from "../postgres-probe.ts";
import { isStackUp } from "../runtime.ts";
import type { ComponentName, ComponentStatus, Runtime, StackEndpoints, StackStatus } from "../runtime.ts";
import { findOnPath } from "../local/executables.ts";
import { COMPOSE_PROJECT, composeFiles, prepareFlavor } from "./compose-project.ts";

const run = promisify(execFile);

const SERVICES: Record<Exclude<ComponentName, "connector">, { service: string; containerPort: number }> = {
  postgres: { service: "postgres", containerPort: 5432 },
  kafka: { service: "kafka", containerPort: 0 },
  connect: { service: "connect", containerPort: 8083 },
};

const PsLineSchema = z.object({ Service: z.string(), State: z.string(), Health: z.string().optional(), Publishers: z.array(z.object({ PublishedPort: z.number(), TargetPort: z.number() })).nullish() });

/** True when a Docker engine with the compose plugin answers on this machine. */
export async function dockerEngineAnswers(config: LabConfig): Promise<boolean> {
  const binary = findOnPath("docker", config.searchPath);
  if (binary === null) return false;
  const answers = (args: string[]) =>
    run(binary, args, { timeout: 20_000 }).then(
      () => true,
      () => false,
    );
  return (await answers(["info", "--format", "{{.ServerVersion}}"])) && (await answers(["compose", "version"]));
}

/**
 * The compose lab, for machines with a Docker engine (workshops): docker-compose.yml with the
 * official images, or with the project's own (LAB_DOCKER_FLAVOR=built). Connect reaches
 * PostgreSQL by its service name on the compose network. The project name is fixed, so the CLI,
 * a workshop's `docker compose` and the docker-mode tests all see one stack.
 */
export function createDockerRuntime(config: LabConfig, logger: Logger): Runtime {
  const fileArgs = composeFiles(config.dockerFlavor).flatMap((file) => ["-f", path.join(config.projectDir, file)]);

  async function docker(args: string[], timeoutMs = 600_000): Promise<string> {
    const binary = findOnPath("docker", config.searchPath);
    if (binary === null) {
      throw new LabError("PrerequisiteMissing", "docker was not found on PATH; the docker runtime needs Docker with the compose plugin", {
        details: { prerequisite: "docker" },
        hint: "Use the default runtime instead: cdc-es-lab up --runtime local",
      });
    }
    try {
      const { stdout } = await run(binary, args, { cwd: config.projectDir, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
      return stdout;
    } catch (error) {
      const stderr = ((error as { stderr?: string }).stderr ?? "").trim();
      throw new LabError("ComponentFailed", `docker ${args.join(" ")} failed: ${stderr || describeError(error)}`, { cause: error });
    }
  }

  async function requireEngine(): Promise<void> {
    try {
      await docker(["info", "--format", "{{.ServerVersion}}"], 20_000);
    } catch (error) {
      if (error instanceof LabError && error.code === "PrerequisiteMissing") throw error;
      throw new LabError("RuntimeUnavailable", "no Docker engine answers on this machine (docker info failed), so the docker runtime cannot start", {
        cause: error,
        hint: "Start Docker, or use the default runtime, which needs no Docker: cdc-es-lab up --runtime local",
      });
    }
    try {
      await docker(["compose", "version"], 20_000);
    } catch (error) {
      throw new LabError("PrerequisiteMissing", "the docker client has no compose plugin", {
        cause: error,
        details: { prerequisite: "docker compose" },
        hint: "Install the Docker Compose v2 plugin (docker-compose-plugin).",
      });
    }
  }

  const compose = (args: string[], timeoutMs?: number) => docker(["compose", "-p", COMPOSE_PROJECT, ...fileArgs, ...args], timeoutMs);

  async function publishedPort(service: string, containerPort: number): Promise<number> {
    const out = (await compose(["port", service, String(containerPort)])).trim();
    const port = Number(out.split(":").pop());
    if (!Number.isInteger(port) || port <= 0) throw new LabError("ComponentFailed", `docker compose port ${service} ${containerPort} answered ${JSON.stringify(out)}`);
    return port;
  }

  async function endpoints(): Promise<StackEndpoints> {
    const pgPort = await publishedPort("postgres", 5432);
    const connectPort = await publishedPort("connect", 8083);
    // The host listener's port is the same inside and outside the container (see docker-compose.yml).
    const ps = await services();
    const kafkaPort = ps.find((line) => line.Service === "kafka")?.Publishers?.find((publisher) => publisher.PublishedPort > 0)?.PublishedPort;
    if (kafkaPort === undefined) throw new LabError("ComponentFailed", "the kafka service publishes no port");
    return {
      postgresUrl: `postgresql://postgres:postgres@127.0.0.1:${pgPort}/cart`,
      kafkaBrokers: [`127.0.0.1:${kafkaPort}`],
      connectUrl: `http://127.0.0.1:${connectPort}`,
      connectorDatabase: { host: "postgres", port: 5432, user: "postgres", password: "postgres", dbname: "cart" },
    };
  }

  async function services(): Promise<z.infer<typeof PsLineSchema>[]> {
    const out = await compose(["ps", "--format", "json"]);
    // Compose prints one JSON object per line (v2.21+) or one array (older v2).
    const trimmed = out.trim();
    if (trimmed === "") return [];
    const raw: unknown[] = trimmed.startsWith("[") ? (JSON.parse(trimmed) as unknown[]) : trimmed.split("\n").map((line) => JSON.parse(line) as unknown);
    return raw.map((line) => PsLineSchema.parse(line));
  }

  async function status(): Promise<StackStatus> {
    await requireEngine();
    const ps = await services();
    const components: ComponentStatus[] = (Object.keys(SERVICES) as (keyof typeof SERVICES)[]).map((component) => {
      const line = ps.find((candidate) => candidate.Service === SERVICES[component].service);
      const healthy = line !== undefined && line.State === "running" && (line.Health === undefined || line.Health === "" || line.Health === "healthy");
      return {
        component,
        up: healthy,
        pid: null,
        port: line?.Publishers?.[0]?.PublishedPort ?? null,
        version: null,
        detail: line === undefined ? "no container" : `${line.State}${line.Health ? ` (${line.Health})` : ""}`,
        rssBytes: null,
      };
    });
    let stackEndpoints: StackEndpoints | null = null;
    if (components.every((component) => component.up)) {
      stackEndpoints = await endpoints();
      const pg = components.find((component) => component.component === "postgres");
      if (pg) pg.version = (await probePostgres(stackEndpoints.postgresUrl)).version;
      const connect = createHttpConnectClient(stackEndpoints.connectUrl);
      const root = await connect.root();
      const connectStatus = components.find((component) => component.component === "connect");
      if (connectStatus) connectStatus.version = root.version;
      const connector = await connect.connectorStatus(LAB_CONNECTOR.name);
      const states = connector === null ? [] : [connector.connector.state, ...connector.tasks.map((task) => task.state)];
      components.push({ component: "connector", up: states.length > 1 && states.every((state) => state === "RUNNING"), pid: null, port: null, version: connector?.connector.version ?? null, detail: states.join("/") || "not registered", rssBytes: null });
    } else {
      components.push({ component: "connector", up: false, pid: null, port: null, version: null, detail: "the containers are not all healthy", rssBytes: null });
    }
    return { runtime: "docker", up: isStackUp(components), components, endpoints: stackEndpoints };
  }

  return {
    kind: "docker",
    status,
    async up(progress) {
      await requireEngine();
      const before = await status();
      if (before.up && before.endpoints !== null) {
        progress.note("already up; nothing changed");
        return { alreadyUp: true, started: [], endpoints: before.endpoints, status: before };
      }
      await prepareFlavor(config, config.dockerFlavor, progress);
      // --build in both flavors: the lab's own image is built from this checkout's code, and a
      // fixed tag would otherwise keep serving the code of its first build after a pull.
      const upArgs = ["up", "-d", "--build", "--wait"];
      await progress.step(`docker compose ${upArgs.join(" ")} (${config.dockerFlavor} images; the first time pulls or builds them)`, () => compose(upArgs, 1_800_000));
      const stackEndpoints = await endpoints();
      await progress.step("kafka: answering metadata", () => probeKafka(stackEndpoints.kafkaBrokers, logger));
      await progress.step(`connector: ${LAB_CONNECTOR.name} RUNNING, slot active, sentinel row on its topic`, () =>
        ensureLabConnector(stackEndpoints, createHttpConnectClient(stackEndpoints.connectUrl), logger, config.readyTimeoutMs),
      );
      return { alreadyUp: false, started: ["postgres", "kafka", "connect", "connector"], endpoints: stackEndpoints, status: await status() };
    },
    async down(progress, options) {
      await requireEngine();
      await progress.step(`docker compose down${options.purge ? " -v" : ""}`, () => compose(["down", ...(options.purge ? ["-v"] : [])]));
      return { stopped: ["connect", "kafka", "postgres"] };
    },
    async logTail(component, lines) {
      await requireEngine();
      return compose(["logs", "--no-color", "--tail", String(lines), SERVICES[component].service]);
    },
  };
}
