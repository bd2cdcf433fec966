import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { DockerComposeEnvironment, Wait } from "testcontainers";
import type { TestProject } from "vitest/node";
import { loadConfig } from "../../services/platform/config.ts";
import type { DockerFlavor } from "../../services/platform/config.ts";
import { LabError } from "../../services/platform/errors.ts";
import { createStderrProgress } from "../../services/platform/progress.ts";
import { COMPOSE_PROJECT, composeFiles, prepareFlavor } from "../../services/runtime/docker/compose-project.ts";
import { dockerEngineAnswers } from "../../services/runtime/docker/docker-runtime.ts";

const run = promisify(execFile);

/** The compose lab as the docker-mode tests reach it from the host. */
export interface DockerLab {
  flavor: DockerFlavor;
  apiUrl: string;
  postgresUrl: string;
  kafkaBrokers: string[];
}

declare module "vitest" {
  export interface ProvidedContext {
    dockerLab: DockerLab;
  }
}

/** Services whose compose healthcheck says when they are ready; `shipping` has none to wait for. */
const HEALTHCHECKED = ["postgres", "kafka", "connect", "api"] as const;
/** A cold built flavor makes base images and builds four images on two cores. */
const STARTUP_TIMEOUT_MS = 1_800_000;
/** testcontainers' reaper: the one image it would pull. */
const RYUK_IMAGE = "testcontainers/ryuk:0.14.0";

/**
 * The compose lab for the docker-mode tests, started by testcontainers over the project's own
 * compose files (the flavor LAB_DOCKER_FLAVOR names), as the project `cdc-es-lab`: the CLI's
 * `--runtime docker` then finds the same stack. Removed with its volumes afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const config = loadConfig();
  if (!(await dockerEngineAnswers(config))) {
    throw new LabError("RuntimeUnavailable", "npm run test:docker needs a Docker engine with the compose plugin, and none answers here (docker info or docker compose version failed)", {
      hint: "On Debian as root: infra/docker/engine.sh install && infra/docker/engine.sh start. Elsewhere, start Docker and install the Compose v2 plugin.",
    });
  }
  await refuseARunningLab();
  await decideOnReaper();
  const flavor = config.dockerFlavor;
  const progress = createStderrProgress(`docker lab (${flavor} images)`);
  await prepareFlavor(config, flavor, progress);
  let environment = new DockerComposeEnvironment(config.projectDir, composeFiles(flavor)).withProjectName(COMPOSE_PROJECT).withStartupTimeout(STARTUP_TIMEOUT_MS);
  for (const service of HEALTHCHECKED) environment = environment.withWaitStrategy(`${service}-1`, Wait.forHealthCheck());
  // Built in both flavors: the lab's own image is this checkout's code.
  environment = environment.withBuild();
  const started = await progress.step(`docker compose up (${composeFiles(flavor).join(", ")})`, () => environment.up());
  const postgresPort = started.getContainer("postgres-1").getMappedPort(5432);
  const apiPort = started.getContainer("api-1").getMappedPort(8080);
  // Kafka's host listener is published on the same port as it listens on (docker-compose.yml):
  // testcontainers has no mapping to ask, so the port is the one compose interpolated.
  const kafkaPort = Number(await composeVariable(config.projectDir, "LAB_KAFKA_PORT"));
  project.provide("dockerLab", {
    flavor,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    postgresUrl: `postgresql://postgres:postgres@127.0.0.1:${postgresPort}/cart`,
    kafkaBrokers: [`127.0.0.1:${kafkaPort}`],
  });
  return async () => {
    await progress.step("docker compose down -v", () => started.down({ removeVolumes: true }));
  };
}

/**
 * The tests start the lab fresh and remove it with its volumes afterwards, so they refuse to take
 * over one that already exists under the project's name: a workshop's or a developer's own
 * `up --runtime docker` (its data would be deleted), or one a crashed test run left behind.
 */
async function refuseARunningLab(): Promise<void> {
  const { stdout } = await run("docker", ["ps", "-a", "-q", "--filter", `label=com.docker.compose.project=${COMPOSE_PROJECT}`], { timeout: 20_000 });
  const containers = stdout.split("\n").filter((line) => line.trim() !== "");
  if (containers.length > 0) {
    throw new LabError("LabBusy", `a compose lab (project ${COMPOSE_PROJECT}, ${containers.length} container(s)) already exists on this engine; the docker-mode tests start their own and delete it afterwards`, {
      hint: `Stop it first (its volumes go too): docker compose -p ${COMPOSE_PROJECT} -f docker-compose.yml -f docker-compose.built.yml down -v`,
    });
  }
}

/**
 * Ryuk removes a crashed run's containers, but it is an image from Docker Hub: where it cannot be
 * pulled (no registry, as on CI's machines) it is turned off, and the teardown above removes the
 * stack instead. A user's own TESTCONTAINERS_RYUK_DISABLED is left as it is.
 */
async function decideOnReaper(): Promise<void> {
  if (process.env["TESTCONTAINERS_RYUK_DISABLED"] !== undefined) return;
  const available = await run("docker", ["image", "inspect", RYUK_IMAGE], { timeout: 20_000 }).then(
    () => true,
    () => run("docker", ["pull", RYUK_IMAGE], { timeout: 60_000 }).then(
      () => true,
      () => false,
    ),
  );
  if (!available) {
    process.env["TESTCONTAINERS_RYUK_DISABLED"] = "true";
    process.stderr.write(`docker lab: ${RYUK_IMAGE} cannot be pulled here: Ryuk is off, and the teardown removes the stack\n`);
  }
}

/** A variable as compose interpolates it: the environment's value first, else .env's. */
async function composeVariable(projectDir: string, name: string): Promise<string> {
  const fromEnvironment = process.env[name];
  if (fromEnvironment !== undefined && fromEnvironment !== "") return fromEnvironment;
  const { readFile } = await import("node:fs/promises");
  const line = (await readFile(`${projectDir}/.env`, "utf8")).split("\n").find((entry) => entry.startsWith(`${name}=`));
  if (line === undefined) throw new LabError("ConfigInvalid", `.env has no ${name}`);
  return line.slice(name.length + 1).trim();
}
