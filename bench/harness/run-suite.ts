import path from "node:path";
import type { LabConfig } from "../../services/platform/config.ts";
import { describeError, isLabError } from "../../services/platform/errors.ts";
import type { Logger } from "../../services/platform/logger.ts";
import { withPostgresClient } from "../../services/platform/postgres-pool.ts";
import type { Progress } from "../../services/platform/progress.ts";
import type { Runtime } from "../../services/runtime/runtime.ts";
import { reportOrphans } from "../../scenarios/runner/orphans.ts";
import { removeRunNote, writeRunNote } from "../../scenarios/runner/run-record.ts";
import { countResources, describeResources, findRunResources, removeRunResources } from "../../scenarios/runner/run-resources.ts";
import { acceptMeasures } from "./accept-measures.ts";
import type { BenchContext, Measure } from "./benchmark.ts";
import { BENCH_SCHEMA_VERSION, writeWhole } from "./bench-file.ts";
import type { BenchFile, BenchProblem } from "./bench-file.ts";
import { DEFAULT_REPETITIONS } from "./bench-flags.ts";
import { renderBenchHtml } from "./bench-html.ts";
import { renderBenchMarkdown } from "./bench-markdown.ts";
import { turnFsyncOn } from "./durability.ts";
import { machineOf, readPostgresSettings, versionsOf } from "./environment.ts";
import { loadBenchmarks } from "./load-benchmarks.ts";
import { selectBenchmarks } from "./select-benchmarks.ts";

/**
 * The suite: start (or find) the stack through the Runtime, run the selected benchmarks in order
 * (baselines first) with one context, then remove everything the run created, stop the stack if
 * the bench started it (unless --keep), and write bench.json, bench.md and bench.html. A benchmark that fails is written down and the others
 * still run; an interrupted run stops before its next repetition and writes what it measured.
 */
export interface RunSuiteOptions {
  quick: boolean;
  durable: boolean;
  only: string[];
  repetitions: number | null;
  /** Leave running a stack this bench started. */
  keep: boolean;
  /** How the run was asked for, for its note (`bench --quick`). */
  command: string;
  signal: AbortSignal;
  /** Default: reports/bench-<id> under the project. */
  outDir?: string;
  /** Told how to put fsync back at once, for a second Ctrl-C that cannot wait for the run's own cleanup. */
  onFsyncOverride?: (restore: (() => Promise<void>) | null) => void;
}

export interface RunSuiteDeps {
  config: LabConfig;
  logger: Logger;
  runtime: Runtime;
  progress: Progress;
  /** The folder whose .ts files are the benchmarks. */
  benchDir: string;
}

export interface SuiteOutcome {
  file: BenchFile;
  files: { json: string; markdown: string; html: string };
}

export async function runSuite(options: RunSuiteOptions, deps: RunSuiteDeps): Promise<SuiteOutcome> {
  const { progress, logger } = deps;
  // Usage errors (an unknown --only id) before the stack is touched.
  const benchmarks = selectBenchmarks(await loadBenchmarks(deps.benchDir), options.only);
  const id = Date.now().toString(36);
  const run = `bench_${id}`;
  const startedAt = new Date().toISOString();
  const repetitions = options.repetitions ?? (options.quick ? DEFAULT_REPETITIONS.quick : DEFAULT_REPETITIONS.full);
  const up = await deps.runtime.up(progress);
  const { endpoints } = up;
  await reportOrphans(deps.config.labDir, endpoints, logger, progress);
  // Written before anything is created: a bench killed from here on is found by `up`, `run` and `clean`.
  writeRunNote(deps.config.labDir, { runId: id, marker: run, pid: process.pid, command: options.command, startedAt });

  const measures: Measure[] = [];
  const problems: BenchProblem[] = [];
  let interrupted = false;
  let fsyncOverride: Awaited<ReturnType<typeof turnFsyncOn>> | null = null;
  let file: BenchFile | null = null;
  try {
    if (options.durable) {
      fsyncOverride = await progress.step("--durable: turning PostgreSQL's fsync on for this run", () => turnFsyncOn(endpoints.postgresUrl), (override) => `it was ${override.previous}`);
      options.onFsyncOverride?.(fsyncOverride.restore);
    }
    const postgres = await withPostgresClient(endpoints.postgresUrl, (client) => readPostgresSettings(client));
    const stamp = { fsync: postgres.settings.fsync, synchronous_commit: postgres.settings.synchronous_commit };
    progress.note(`bench ${id}: ${benchmarks.length} benchmark(s), ${repetitions} repetition(s) each after a warm-up, fsync ${stamp.fsync}, synchronous_commit ${stamp.synchronous_commit}`);
    const measured = new Map<string, Measure>();
    const context: BenchContext = { endpoints, logger, progress, quick: options.quick, durable: options.durable, run, repetitions, measured, signal: options.signal };
    for (const benchmark of benchmarks) {
      if (options.signal.aborted) {
        interrupted = true;
        break;
      }
      try {
        const returned = await progress.step(`${benchmark.id}: ${benchmark.title}`, () => benchmark.run(context), (taken) => `${taken.length} measure(s)`);
        for (const measure of acceptMeasures(benchmark.id, returned, measured, stamp)) {
          measured.set(measure.id, measure);
          measures.push(measure);
        }
      } catch (error) {
        if (isLabError(error) && error.code === "Interrupted") {
          interrupted = true;
          break;
        }
        logger.error({ benchmark: benchmark.id, err: describeError(error) }, "benchmark failed");
        problems.push({ benchmark: benchmark.id, message: describeError(error) });
      }
    }
    file = {
      schema: BENCH_SCHEMA_VERSION,
      id,
      startedAt,
      finishedAt: startedAt,
      quick: options.quick,
      durable: options.durable,
      interrupted: interrupted || options.signal.aborted,
      machine: machineOf(),
      versions: versionsOf(up.status, postgres.serverVersion),
      settings: { ...postgres.settings, runtime: deps.runtime.kind, benchmarks: options.only.length === 0 ? "all" : options.only.join(","), repetitions, warmUp: "one untimed pass per measure, its queries counted", poolSizes: poolSizesOf(measures) },
      measures,
      problems,
    };
  } finally {
    const override = fsyncOverride;
    if (override !== null) {
      try {
        await progress.step(`putting PostgreSQL's fsync back to ${override.previous}`, () => override.restore());
      } catch (error) {
        // Said loudly and counted as a failure of the run; the figures already taken stand.
        progress.note(`${describeError(error)}${isLabError(error) && error.hint !== undefined ? ` (${error.hint})` : ""}`);
        problems.push({ benchmark: "harness", message: describeError(error) });
      }
      options.onFsyncOverride?.(null);
    }
    await removeWhatTheBenchCreated(id, run, endpoints, deps);
    // Stop only a stack this bench started whole, as `run` does; one that was (partly) running stays as it was.
    const startedWhole = (["postgres", "kafka", "connect"] as const).every((component) => up.started.includes(component));
    if (startedWhole && !options.keep) await deps.runtime.down(progress, { purge: false });
  }
  file.finishedAt = new Date().toISOString();
  const outDir = options.outDir ?? path.join(deps.config.projectDir, "reports", `bench-${id}`);
  const files = { json: path.join(outDir, "bench.json"), markdown: path.join(outDir, "bench.md"), html: path.join(outDir, "bench.html") };
  writeWhole(files.json, `${JSON.stringify(file, null, 2)}\n`);
  writeWhole(files.markdown, renderBenchMarkdown(file));
  writeWhole(files.html, renderBenchHtml(file));
  return { file, files };
}

/** "10: crud.command.w1, es.command.w1; 8: baseline.insert.w1": the pool each measure ran with, as the measures state it. */
function poolSizesOf(measures: readonly Measure[]): string {
  const bySize = new Map<string, string[]>();
  for (const measure of measures) {
    const size = measure.settings["poolSize"];
    if (size === undefined) continue;
    bySize.set(String(size), [...(bySize.get(String(size)) ?? []), measure.id]);
  }
  return bySize.size === 0 ? "not stated" : [...bySize.entries()].map(([size, ids]) => `${size}: ${ids.join(", ")}`).join("; ");
}

/**
 * Each benchmark drops what it made; what a failure or an interruption left (schemas, a
 * connector, topics, groups) still carries the run's name and goes now, and the run's note with
 * it once nothing is left (else `cdc-es-lab clean --yes` finds it from the note).
 */
async function removeWhatTheBenchCreated(id: string, run: string, endpoints: Parameters<typeof findRunResources>[0], deps: RunSuiteDeps): Promise<void> {
  await deps.progress.step(`removing what bench ${id} created`, async () => {
    let found;
    try {
      found = await findRunResources(endpoints, deps.logger, [run]);
    } catch (error) {
      deps.progress.note(`could not look for what bench ${id} left (${describeError(error)}); \`cdc-es-lab clean --yes\` retries`);
      return;
    }
    const problems = await removeRunResources(endpoints, deps.logger, found);
    if (problems.length > 0) {
      deps.progress.note(`could not remove everything bench ${id} created (${problems.join("; ")}); \`cdc-es-lab clean --yes\` retries`);
      return;
    }
    removeRunNote(deps.config.labDir, id);
    deps.progress.note(countResources(found) === 0 ? "nothing was left" : `removed ${countResources(found)}: ${describeResources(found)}`);
  });
}
