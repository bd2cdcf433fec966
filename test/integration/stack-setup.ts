import path from "node:path";
import type { TestProject } from "vitest/node";
import { parseConfig } from "../../services/platform/config.ts";
import { acquireLabLock } from "../../services/platform/lab-lock.ts";
import { createLogger } from "../../services/platform/logger.ts";
import { createStderrProgress } from "../../services/platform/progress.ts";
import { chooseRuntimeKind, createRuntime } from "../../services/runtime/create-runtime.ts";
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
  // LAB_RUNTIME decides when set; otherwise the runtime this lab directory was brought up with,
  // else the local one. An engine that merely answers does not make it docker: the docker-mode
  // tests have their own project (npm run test:docker), and a machine that runs dockerd for them
  // must not switch the integration suite to images it may not be able to pull.
  const kind = chooseRuntimeKind(config, null);
  const runtime = createRuntime(kind, config, logger);
  const progress = createStderrProgress(`test stack (${path.relative(config.projectDir, config.labDir)})`);
  // Under the lab's lock, as the CLI's up: two test runs starting at once on one stack (two
  // developers' sessions) otherwise both start its processes, and the loser's are left unrecorded.
  const lock = await acquireLabLock(config.labDir, "integration tests: up", { waitMs: 600_000, progress });
  const result = await (async () => {
    try {
      return await runtime.up(progress);
    } finally {
      lock.release();
    }
  })();
  project.provide("stack", result.endpoints);
  // A stack named with LAB_TEST_LAB_DIR is shared by whoever named it, and other runs may still be
  // using it: it stays up. Otherwise one that was already running is left as it was found.
  const keep = result.alreadyUp || process.env["LAB_TEST_LAB_DIR"] !== undefined;
  return async () => {
    if (keep) return;
    const downLock = await acquireLabLock(config.labDir, "integration tests: down", { waitMs: 600_000, progress });
    try {
      await runtime.down(progress, { purge: false });
    } finally {
      downLock.release();
    }
  };
}
