import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import type { DockerFlavor, LabConfig } from "../../platform/config.ts";
import { LabError, describeError } from "../../platform/errors.ts";
import type { Progress } from "../../platform/progress.ts";

const run = promisify(execFile);

/**
 * The compose project every docker-mode caller shares: `cdc-es-lab up --runtime docker`, the
 * workshop's own `docker compose`, and the docker-mode tests (testcontainers) all name it so,
 * which is how `run --runtime docker` finds the stack a test started.
 */
export const COMPOSE_PROJECT = "cdc-es-lab";

/** The compose files of a flavor, relative to the project: the built one overrides only images and builds. */
export function composeFiles(flavor: DockerFlavor): string[] {
  return flavor === "built" ? ["docker-compose.yml", "docker-compose.built.yml"] : ["docker-compose.yml"];
}

/**
 * What the built flavor needs before `docker compose up --build`: Debian base images made with
 * debootstrap (no registry to pull them from), and the JVM jars and the lab's production
 * node_modules staged as build contexts (containers here cannot fetch from Maven Central or npm
 * themselves). infra/docker/prepare-built-flavor.sh skips what is already done, so this is cheap
 * once done. The official flavor needs nothing: compose pulls its images.
 */
export async function prepareFlavor(config: LabConfig, flavor: DockerFlavor, progress: Progress): Promise<void> {
  if (flavor !== "built") return;
  const script = "infra/docker/prepare-built-flavor.sh";
  await progress.step("built images: base images, staged jars and node_modules (first time only)", async () => {
    try {
      await run("bash", [path.join(config.projectDir, script)], { cwd: config.projectDir, timeout: 1_800_000, maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      const stderr = ((error as { stderr?: string }).stderr ?? "").trim().split("\n").slice(-5).join("\n");
      throw new LabError("ComponentFailed", `${script} failed: ${stderr || describeError(error)}`, {
        cause: error,
        hint: "The built flavor needs root, debootstrap and a Docker engine: infra/docker/engine.sh install && infra/docker/engine.sh start",
      });
    }
  });
}
