import path from "node:path";
import { SIZES } from "../../scenarios/model/scenario.ts";
import type { RunSize } from "../../scenarios/model/scenario.ts";
import { findOrphans, findUnrecorded, reportOrphans } from "../../scenarios/runner/orphans.ts";
import { runLab } from "../../scenarios/runner/run-lab.ts";
import { removeRunNote } from "../../scenarios/runner/run-record.ts";
import { RESOURCE_KINDS, countResources, removeRunResources } from "../../scenarios/runner/run-resources.ts";
import { BROKER_COUNTS, RUNTIME_KINDS, loadConfig } from "../platform/config.ts";
import type { RuntimeKind } from "../platform/config.ts";
import { LabError, isLabError } from "../platform/errors.ts";
import { createLogger } from "../platform/logger.ts";
import { acquireLabLock } from "../platform/lab-lock.ts";
import type { LabConfig } from "../platform/config.ts";
import type { Progress } from "../platform/progress.ts";
import { createStderrProgress } from "../platform/progress.ts";
import { chooseRuntimeKind, createRuntime, recordRuntimeKind } from "../runtime/create-runtime.ts";
import { COMPONENTS } from "../runtime/runtime.ts";
import { EXIT_SOME_REJECTED, applyCommand, historyCommand, stateCommand } from "./cart-commands.ts";
import { parseFlags, seedFlag } from "./cli-flags.ts";
import type { CartCommandContext } from "./cart-commands.ts";
import { formatSlots, formatStatus } from "./status-table.ts";
import { serveCommand } from "./serve-command.ts";
import { shipCommand } from "./ship-command.ts";
import { readSlots, slotWarnings } from "../runtime/replication-slot.ts";

const USAGE = `usage: cdc-es-lab <command> [options]

commands:
  run [ids...] [--seed N] [--size small|default|large] [--out DIR] [--keep]
                                          the comparison: start what is missing, run the scenarios on both
                                          designs, write results.json, report.md, report.html; print the matrix
  up [--runtime local|docker|external] [--brokers 1|3]
                                          start (or check) PostgreSQL, Kafka, Kafka Connect + Debezium
                                          (--brokers 3, local runtime: a replicated three-broker cluster)
  status [--json]                         each component: up/down, pid, port, version, memory
  down [--purge]                          stop everything the lab started (--purge: delete its data too)
  logs [postgres|kafka|connect] [--lines N]   the last lines of a component's log
  clean [--yes] [--unrecorded]            list what runs that died left on the stack; --yes removes it

  apply --design crud|es FILE             one JSON command a line (FILE or -), one JSON result a line
  state --design crud|es|cdc --cart ID [--at ISO-TIME | --version N] [--json]
  history --design es|cdc --cart ID [--json]    the cart's events (es) or transactions replayed from Kafka (cdc)
  audit --design es|cdc --cart ID [--json]      for each change: operation, actor, reason, time (null where unknown)
  serve [--port N] [--host H]             the cart HTTP API and the live page (default 127.0.0.1:8080) until Ctrl-C
  ship                                    the shipping consumer of both designs' checkouts, until Ctrl-C

Results go to stdout, progress and logs to stderr. Configuration: docs/reference/configuration.md.
Exit codes: 0 ok, 1 the lab failed (message says why), 2 bad usage, 3 status: stack not up,
${EXIT_SOME_REJECTED} apply: at least one line was rejected.
`;

/** The CLI's composition root. Returns the exit code instead of exiting, so tests can call it. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "up":
        return await up(rest);
      case "status":
        return await status(rest);
      case "down":
        return await down(rest);
      case "logs":
        return await logs(rest);
      case "clean":
        return await clean(rest);
      case "run":
        return await runCommand(rest);
      case "apply":
        return await applyCommand(rest, cartContext(rest));
      case "state":
        return await stateCommand(rest, cartContext(rest));
      case "history":
        return await historyCommand(rest, cartContext(rest), "history");
      case "audit":
        return await historyCommand(rest, cartContext(rest), "audit");
      case "serve":
        return await serveCommand(rest, cartContext(rest));
      case "ship":
        return await shipCommand(rest, cartContext(rest));
      case undefined:
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new LabError("UsageInvalid", `unknown command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    return reportFailure(error);
  }
}

/** Stack traces are for whoever debugs the lab (LAB_LOG_LEVEL=debug or trace), not for its users. */
function wantsStackTraces(): boolean {
  try {
    return ["debug", "trace"].includes(loadConfig().logLevel);
  } catch (error) {
    // The configuration itself is what failed: its error is the one being reported.
    if (isLabError(error) && error.code === "ConfigInvalid") return false;
    throw error;
  }
}

function reportFailure(error: unknown): number {
  const traces = wantsStackTraces();
  if (isLabError(error)) {
    process.stderr.write(`cdc-es-lab: ${error.code}: ${error.message}\n`);
    if (error.hint !== undefined) process.stderr.write(`  hint: ${error.hint}\n`);
    if (traces) process.stderr.write(`${error.stack ?? ""}\n${error.cause instanceof Error ? `caused by: ${error.cause.stack ?? error.cause.message}\n` : ""}`);
    if (error.code === "UsageInvalid") {
      process.stderr.write(`\n${USAGE}`);
      return 2;
    }
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`cdc-es-lab: unexpected failure: ${traces && error instanceof Error ? (error.stack ?? message) : message}\n`);
  if (!traces) process.stderr.write("  hint: LAB_LOG_LEVEL=debug shows the stack trace\n");
  return 1;
}

function runtimeFlag(value: string | boolean | undefined): RuntimeKind | null {
  if (value === undefined) return null;
  if (typeof value === "string" && (RUNTIME_KINDS as readonly string[]).includes(value)) return value as RuntimeKind;
  throw new LabError("UsageInvalid", `--runtime must be one of ${RUNTIME_KINDS.join(", ")}, got ${JSON.stringify(value)}`);
}

/** The runtime flag is read before the command's own parsing, which rejects unknown flags. */
function cartContext(args: string[]): CartCommandContext {
  const index = args.indexOf("--runtime");
  const requested = index >= 0 ? runtimeFlag(args[index + 1]) : null;
  const { config, runtime } = compose(requested);
  return { config, runtime, logger: createLogger(config.logLevel) };
}

function compose(requested: RuntimeKind | null) {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const kind = chooseRuntimeKind(config, requested);
  return { config, kind, logger, runtime: createRuntime(kind, config, logger) };
}

/** 128 + SIGINT, as shells report a command stopped by Ctrl-C. */
const EXIT_INTERRUPTED = 130;

/**
 * Ctrl-C or SIGTERM during a run: the first one stops the run after its current step, removes
 * what it created and writes the report of what it measured; a second one exits at once,
 * leaving the run's note for `clean`.
 */
function interruptOnSignals(progress: Progress): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      progress.note(`${name} again: exiting now; \`cdc-es-lab clean --yes\` removes what this run left`);
      process.exit(EXIT_INTERRUPTED);
    }
    progress.note(`${name}: stopping after the current step, then removing what this run created (${name} again to exit now)`);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}

/** How long `up` and `down` wait for another lifecycle command on the same lab; `run` does not wait. */
const LIFECYCLE_LOCK_WAIT_MS = 180_000;

/** Runs a lifecycle command holding the lab's lock (services/platform/lab-lock.ts). */
async function withLabLock<T>(config: LabConfig, command: string, progress: Progress, waitMs: number, work: () => Promise<T>): Promise<T> {
  const lock = await acquireLabLock(config.labDir, command, { waitMs, progress });
  try {
    return await work();
  } finally {
    lock.release();
  }
}

async function runCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      seed: { type: "string", default: "1" },
      size: { type: "string", default: "default" },
      out: { type: "string" },
      keep: { type: "boolean", default: false },
      runtime: { type: "string" },
    },
    true,
  );
  const seed = seedFlag(values.seed);
  if (!(values.size in SIZES)) throw new LabError("UsageInvalid", `--size must be one of ${Object.keys(SIZES).join(", ")}, got ${JSON.stringify(values.size)}`);
  const { config, kind, runtime } = compose(runtimeFlag(values.runtime));
  const progress = createStderrProgress("run");
  const startedAt = performance.now();
  const interruption = interruptOnSignals(progress);
  let outcome;
  try {
    // A run measures alone: a second one on the same lab would be traffic in its figures.
    outcome = await withLabLock(config, `run ${args.join(" ")}`.trim(), progress, 0, () =>
      runLab(
        {
          ids: positionals,
          seed,
          size: values.size as RunSize,
          outDir: values.out === undefined ? null : path.resolve(values.out),
          keep: values.keep,
          command: `run ${args.join(" ")}`.trim(),
          signal: interruption.signal,
        },
        { config, runtime, progress, logger: createLogger(config.logLevel) },
      ),
    );
  } finally {
    interruption.dispose();
  }
  recordRuntimeKind(config.labDir, kind);
  process.stdout.write(`${outcome.matrix}\n`);
  process.stdout.write(`results: ${outcome.files.results}\nreport:  ${outcome.files.markdown}\n         ${outcome.files.html}\n`);
  progress.note(`run ${outcome.results.runId} took ${((performance.now() - startedAt) / 1000).toFixed(0)}s${outcome.complete ? "" : "; some scenarios or subjects did not complete (see the report)"}`);
  if (outcome.interrupted) return EXIT_INTERRUPTED;
  return outcome.complete ? 0 : 1;
}

async function up(args: string[]): Promise<number> {
  const { values } = parseFlags(args, { runtime: { type: "string" }, brokers: { type: "string" } });
  const { config, kind, runtime, logger } = compose(runtimeFlag(values.runtime));
  // The flag wins over LAB_BROKERS; neither set: the lab's recorded count (a new lab: 1).
  const brokers = values.brokers === undefined ? config.brokers : (BROKER_COUNTS.find((count) => String(count) === values.brokers) ?? null);
  if (values.brokers !== undefined && brokers === null) throw new LabError("UsageInvalid", `--brokers must be ${BROKER_COUNTS.join(" or ")}, got ${JSON.stringify(values.brokers)}`);
  if (brokers !== null && brokers !== 1 && kind !== "local") {
    throw new LabError("UsageInvalid", `--brokers ${brokers} (or LAB_BROKERS) is for the local runtime; the ${kind} runtime's cluster is what it is`, { hint: "See docs/operations.md, \"A replicated cluster\"." });
  }
  const progress = createStderrProgress("up");
  progress.note(`runtime ${kind}, lab directory ${config.labDir}`);
  const startedAt = performance.now();
  const result = await withLabLock(config, "up", progress, LIFECYCLE_LOCK_WAIT_MS, () => runtime.up(progress, brokers === null ? {} : { brokers }));
  await reportOrphans(config.labDir, result.endpoints, logger, progress);
  recordRuntimeKind(config.labDir, kind);
  progress.note(result.alreadyUp ? "stack was already up" : `stack up in ${((performance.now() - startedAt) / 1000).toFixed(1)}s (started: ${result.started.join(", ") || "nothing"})`);
  process.stdout.write(formatStatus(result.status));
  return 0;
}

async function status(args: string[]): Promise<number> {
  const { values } = parseFlags(args, { json: { type: "boolean", default: false }, runtime: { type: "string" } });
  const { config, runtime } = compose(runtimeFlag(values.runtime));
  const result = await runtime.status();
  const postgresUp = result.components.some((component) => component.component === "postgres" && component.up);
  // The slots live in PostgreSQL: shown whenever it answers, above all when Connect does not.
  const slots = postgresUp && result.endpoints !== null ? await readSlots(result.endpoints.postgresUrl) : [];
  const warnings = slotWarnings(slots, config.slotWalWarnBytes);
  for (const warning of warnings) process.stderr.write(`cdc-es-lab: warning: ${warning}\n`);
  process.stdout.write(values.json ? `${JSON.stringify({ ...result, slots, warnings }, null, 2)}\n` : `${formatStatus(result)}${formatSlots(slots, warnings)}`);
  return result.up ? 0 : 3;
}

async function down(args: string[]): Promise<number> {
  const { values } = parseFlags(args, { purge: { type: "boolean", default: false }, runtime: { type: "string" } });
  const { config, runtime } = compose(runtimeFlag(values.runtime));
  const progress = createStderrProgress("down");
  const result = await withLabLock(config, values.purge ? "down --purge" : "down", progress, LIFECYCLE_LOCK_WAIT_MS, () => runtime.down(progress, { purge: values.purge }));
  progress.note(result.stopped.length === 0 ? "nothing was running" : `stopped: ${result.stopped.join(", ")}`);
  return 0;
}

async function logs(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { lines: { type: "string", default: "50" }, runtime: { type: "string" } }, true);
  const lines = Number(values.lines);
  if (!Number.isInteger(lines) || lines < 1 || lines > 100_000) throw new LabError("UsageInvalid", `--lines must be a whole number from 1 to 100000, got ${values.lines}`);
  const components = COMPONENTS.filter((component) => component !== "connector");
  const asked = positionals.length === 0 ? components : positionals;
  for (const name of asked) {
    if (!(components as readonly string[]).includes(name)) throw new LabError("UsageInvalid", `unknown component ${JSON.stringify(name)}; one of ${components.join(", ")}`);
  }
  const { runtime } = compose(runtimeFlag(values.runtime));
  for (const name of asked) {
    const tail = await runtime.logTail(name as (typeof components)[number], lines);
    process.stdout.write(`==> ${name} <==\n${tail}${tail.endsWith("\n") || tail === "" ? "" : "\n"}`);
  }
  return 0;
}

/**
 * What runs that died left (found from their notes; with --unrecorded also whatever is named like
 * a run's and has no note). A dry run by default: it lists, and only --yes removes.
 */
async function clean(args: string[]): Promise<number> {
  const { values } = parseFlags(args, { yes: { type: "boolean", default: false }, unrecorded: { type: "boolean", default: false }, runtime: { type: "string" } });
  const { config, runtime, logger } = compose(runtimeFlag(values.runtime));
  const progress = createStderrProgress("clean");
  return withLabLock(config, values.yes ? "clean --yes" : "clean", progress, 0, async () => {
    const status = await runtime.status();
    if (!status.up || status.endpoints === null) throw new LabError("NotRunning", "the stack is not up: what runs left is on it", { hint: "Start it with: cdc-es-lab up" });
    const endpoints = status.endpoints;
    const orphans = [...(await findOrphans(config.labDir, endpoints, logger)), ...(values.unrecorded ? await findUnrecorded(config.labDir, endpoints, logger) : [])];
    let problems = 0;
    for (const { run, resources } of orphans) {
      process.stdout.write(`run ${run.runId} (${run.command}, started ${run.startedAt}): ${countResources(resources)} resources\n`);
      for (const kind of RESOURCE_KINDS) for (const name of resources[kind]) process.stdout.write(`  ${kind.slice(0, -1).padEnd(11)} ${name}\n`);
      if (!values.yes) continue;
      const failed = await removeRunResources(endpoints, logger, resources);
      if (failed.length === 0) {
        removeRunNote(config.labDir, run.runId);
        process.stdout.write("  removed\n");
      } else {
        problems += failed.length;
        for (const problem of failed) process.stdout.write(`  not removed: ${problem}\n`);
      }
    }
    if (orphans.length === 0) process.stdout.write("nothing left by runs that died\n");
    else if (!values.yes) progress.note("dry run: nothing removed; run `cdc-es-lab clean --yes` to remove the above");
    return problems === 0 ? 0 : 1;
  });
}
