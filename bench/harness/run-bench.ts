/**
 * `npm run bench`: the bench suite's command line. Flags are decoded strictly before anything
 * starts; the stack is started (or found) through the same Runtime the CLI uses; stdout gets the
 * table of measures and where the files are, stderr the progress.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../services/platform/config.ts";
import { describeError, isLabError } from "../../services/platform/errors.ts";
import { createLogger } from "../../services/platform/logger.ts";
import { createStderrProgress } from "../../services/platform/progress.ts";
import type { Progress } from "../../services/platform/progress.ts";
import { acquireLabLock } from "../../services/platform/lab-lock.ts";
import { chooseRuntimeKind, createRuntime } from "../../services/runtime/create-runtime.ts";
import { BENCH_USAGE, parseBenchFlags } from "./bench-flags.ts";
import { renderBenchSummary } from "./bench-terminal.ts";
import { runSuite } from "./run-suite.ts";

/** 128 + SIGINT, as shells report a command stopped by Ctrl-C (the CLI's `run` does the same). */
const EXIT_INTERRUPTED = 130;
const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function main(args: string[]): Promise<number> {
  const progress = createStderrProgress("bench");
  let restoreFsyncNow: (() => Promise<void>) | null = null;
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      progress.note(`${name} again: exiting now; \`cdc-es-lab clean --yes\` removes what this bench left`);
      const restore = restoreFsyncNow;
      if (restore === null) process.exit(EXIT_INTERRUPTED);
      // fsync is put back even now: a lab left durable by accident is slow for everyone after.
      restore()
        .catch((error: unknown) => progress.note(`fsync was not put back: ${describeError(error)}`))
        .finally(() => process.exit(EXIT_INTERRUPTED));
      return;
    }
    progress.note(`${name}: stopping before the next repetition, then removing what this bench created (${name} again to exit now)`);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const options = parseBenchFlags(args);
    if (options.help) {
      process.stdout.write(BENCH_USAGE);
      return 0;
    }
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    const runtime = createRuntime(chooseRuntimeKind(config, null), config, logger);
    // A bench measures alone, as `run` does: a second one (or a run) on the same lab would be traffic in its figures.
    const lock = await acquireLabLock(config.labDir, `bench ${args.join(" ")}`.trim(), { waitMs: 0, progress });
    let outcome;
    try {
      outcome = await runSuite(
        {
          ...options,
          command: ["bench", ...args].join(" "),
          signal: controller.signal,
          onFsyncOverride: (restore) => {
            restoreFsyncNow = restore;
          },
        },
        { config, logger, runtime, progress, benchDir: BENCH_DIR },
      );
    } finally {
      lock.release();
    }
    process.stdout.write(renderBenchSummary(outcome.file, outcome.files));
    if (outcome.file.interrupted) return EXIT_INTERRUPTED;
    return outcome.file.problems.length === 0 ? 0 : 1;
  } catch (error) {
    return reportFailure(error, progress);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function reportFailure(error: unknown, progress: Progress): number {
  if (isLabError(error)) {
    process.stderr.write(`bench: ${error.code}: ${error.message}\n`);
    if (error.hint !== undefined) process.stderr.write(`  hint: ${error.hint}\n`);
    if (error.code === "UsageInvalid") {
      process.stderr.write(`\n${BENCH_USAGE}`);
      return 2;
    }
    return error.code === "Interrupted" ? EXIT_INTERRUPTED : 1;
  }
  progress.note(`unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return 1;
}

process.exitCode = await main(process.argv.slice(2));
