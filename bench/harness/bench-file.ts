import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { LabError, describeError } from "../../services/platform/errors.ts";
import type { Measure } from "./benchmark.ts";
import type { BenchMachine, BenchVersions } from "./environment.ts";

/**
 * bench.json: everything one bench run measured, versioned and validated; bench.md and
 * bench.html are rendered from it alone, and the main report quotes it. Each measure is exactly
 * the contract's `Measure` (bench/harness/benchmark.ts).
 */
export const BENCH_SCHEMA_VERSION = 1;

/** A benchmark that failed: the others' figures stand, and the run exits non-zero. */
export interface BenchProblem {
  benchmark: string;
  message: string;
}

export interface BenchFile {
  schema: typeof BENCH_SCHEMA_VERSION;
  id: string;
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  durable: boolean;
  /** Stopped by Ctrl-C / SIGTERM: the measures taken until then are here. */
  interrupted: boolean;
  machine: BenchMachine;
  versions: BenchVersions;
  /** PostgreSQL's settings during the run (fsync as measured, after --durable), the runtime, the repetitions. */
  settings: Record<string, string | number | boolean>;
  measures: Measure[];
  problems: BenchProblem[];
}

const SettingsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

export const MeasureSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
  label: z.string().min(1),
  value: z.number().refine(Number.isFinite, "must be finite"),
  unit: z.string().min(1),
  spread: z.strictObject({ min: z.number(), max: z.number(), repetitions: z.number().int().min(2) }).nullable(),
  baseline: z.string().nullable(),
  ratio: z.number().refine(Number.isFinite, "must be finite").nullable(),
  target: z.number().nullable(),
  better: z.enum(["higher", "lower"]),
  settings: SettingsSchema,
  profile: z.array(z.strictObject({ statement: z.string(), callsPerOperation: z.number(), msPerOperation: z.number() })).optional(),
});

const BenchFileSchema = z.strictObject({
  schema: z.literal(BENCH_SCHEMA_VERSION),
  id: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  quick: z.boolean(),
  durable: z.boolean(),
  interrupted: z.boolean(),
  machine: z.strictObject({ cpus: z.number().int(), cpuModel: z.string(), memoryBytes: z.number(), os: z.string() }),
  versions: z.strictObject({ node: z.string(), postgres: z.string(), kafka: z.string().nullable(), debezium: z.string().nullable(), pg: z.string(), kafkajs: z.string() }),
  settings: SettingsSchema,
  measures: z.array(MeasureSchema),
  problems: z.array(z.strictObject({ benchmark: z.string(), message: z.string() })),
});

export function parseBenchFile(json: unknown, where: string): BenchFile {
  const parsed = BenchFileSchema.safeParse(json);
  if (!parsed.success) throw new LabError("DecodeFailed", `${where} is not a bench.json this build reads: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function readBenchFile(file: string): BenchFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new LabError("InputUnreadable", `cannot read ${file}: ${describeError(error)}`, { cause: error });
  }
  return parseBenchFile(json, file);
}

/** Atomic, like results.json: a reader opening a file mid-write sees the old one or the new one. */
export function writeWhole(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}
