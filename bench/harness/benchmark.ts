import type { Logger } from "../../services/platform/logger.ts";
import type { Progress } from "../../services/platform/progress.ts";
import type { StackEndpoints } from "../../services/runtime/runtime.ts";

/**
 * The contract between the bench suite's harness and its benchmarks: one file per benchmark
 * under `bench/`, each returning measures; the harness runs them in order (baselines first),
 * warms up, repeats, and writes bench.json / bench.md / bench.html.
 */

/** Which way is good for a measure: throughput is "higher", latency and cost "lower". */
export type Better = "higher" | "lower";

export interface Measure {
  /** Stable, dotted: `journal.append.w1`, `baseline.insert.w8`, `latency.cdc-tuned.p99`. */
  id: string;
  /** What a reviewer reads: "journal append, one event, expected version, 1 writer". */
  label: string;
  /** The median over the repetitions. */
  value: number;
  unit: string;
  /** The spread of the repetitions (min and max), when there were several. */
  spread: { min: number; max: number; repetitions: number } | null;
  /** The id of the baseline measure this one is compared with, measured in the same run. */
  baseline: string | null;
  /** value / baseline's value (for "lower" measures too: say so in the docs); null without a baseline. */
  ratio: number | null;
  /** The target, compared with `ratio` when there is a baseline and with `value` otherwise; null when none is named. */
  target: number | null;
  better: Better;
  /** What was done per operation and under which settings: round trips, statements, pool size, poll interval... */
  settings: Record<string, string | number | boolean>;
  /**
   * Optional: where one operation's time goes, statement by statement (bench/harness/round-trips.ts
   * counts and times every query of the warm-up). What a missed target is explained with.
   */
  profile?: StatementProfile[];
}

/** One statement text's share of an operation: how often it is sent and how long it waits for PostgreSQL. */
export interface StatementProfile {
  /** The text, whitespace collapsed, schema qualifiers dropped, cut at 120 characters. */
  statement: string;
  callsPerOperation: number;
  /** From the call until its result arrived (its wait in the connection's queue included). */
  msPerOperation: number;
}

export interface BenchContext {
  endpoints: StackEndpoints;
  logger: Logger;
  progress: Progress;
  /** `--quick`: sizes small enough for the whole suite to finish in about a minute (CI checks shape only). */
  quick: boolean;
  /** `--durable`: PostgreSQL runs with fsync on for this run (the local runtime's default is off). */
  durable: boolean;
  /** A name stem unique to this run: every schema, table, topic, slot, connector and group it creates carries it (CDC names add a `cdc-`/`cdc_` prefix), and the harness removes what carries it at the end. */
  run: string;
  /** Repetitions per measure (the harness's warm-up is separate). */
  repetitions: number;
  /** Measures already taken in this run, by id: how a benchmark finds its baseline's value. */
  measured: ReadonlyMap<string, Measure>;
  /** Aborted on Ctrl-C / SIGTERM: a benchmark stops before its next repetition (bench/harness/repeat.ts checks it). */
  signal?: AbortSignal;
}

export interface Benchmark {
  /** The file's name without extension, e.g. `journal-append`. */
  id: string;
  title: string;
  /** Baselines run before every other benchmark. */
  kind: "baseline" | "measure";
  /**
   * The ids of the benchmarks whose measures this one reads from `measured`: they run before it,
   * and `--only` brings them along. Absent: every baseline (a measure's usual needs).
   */
  needs?: readonly string[];
  run(context: BenchContext): Promise<Measure[]>;
}
