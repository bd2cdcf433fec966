import path from "node:path";
import type { TestProject } from "vitest/node";
import { parseConfig } from "../../services/platform/config.ts";
import { createLogger } from "../../services/platform/logger.ts";
import { createStderrProgress } from "../../services/platform/progress.ts";
import { chooseRuntimeKind, createRuntime } from "../../services/runtime/create-runtime.ts";
import { dockerEngineAnswers } from "../../services/runtime/docker/docker-runtime.ts";
import type { StackEndpoints } from "../../services/runtime/runtime.ts";
import { testStackLabDir } from "./support/test-lab.ts";

declare module "vitest" {
  export interface ProvidedContext {
    stack: StackEndpoints;
  }
}

/**
 * One real stack for the whole integration run, started through the same Runtime the CLI uses
 * (LAB_RUNTIME picks docker or external; the default is local). It lives in its own lab
 * directory, so a developer's own `cdc-es-lab up` is never touched.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const config = parseConfig({ ...process.env, LAB_DIR: testStackLabDir() });
  const logger = createLogger(config.logLevel);
  // LAB_RUNTIME decides when set; otherwise the docker runtime where an engine answers (a
  // workshop laptop), else the local one (CI, these machines).
  const kind = config.runtime ?? ((await dockerEngineAnswers(config)) ? "docker" : chooseRuntimeKind(config, null));
  const runtime = createRuntime(kind, config, logger);
  const progress = createStderrProgress(`test stack (${path.relative(config.projectDir, config.labDir)})`);
  const result = await runtime.up(progress);
  project.provide("stack", result.endpoints);
  return async () => {
    // A stack that was already running before the tests is left as it was found.
    if (!result.alreadyUp) await runtime.down(progress, { purge: false });
  };
}
