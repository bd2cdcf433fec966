import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { LabError, describeError } from "../../services/platform/errors.ts";
import { SUBJECT_IDS } from "../model/subjects.ts";

/**
 * results.json: everything a run measured, versioned and validated. The report is generated
 * from this file alone, so a reviewer can regenerate it, or check it, without the stack.
 */
export const RESULTS_SCHEMA_VERSION = 2;
/** Versions this build reads: v1 (scalar observations only) is a subset of v2 and reads as it is. */
const READABLE_VERSIONS = [1, 2] as const;

const ScalarSchema = z.union([z.number(), z.boolean(), z.string(), z.null()]);
const DistributionSchema = z.object({
  kind: z.literal("distribution"),
  count: z.number().int().nonnegative(),
  p50: z.number(),
  p95: z.number(),
  p99: z.number(),
  max: z.number(),
});
const UnitSchema = z.enum(["percent", "ms", "count", "bytes", "ratio", "boolean", "id"]);
const CurveSchema = z.object({
  kind: z.literal("curve"),
  xLabel: z.string(),
  xUnit: UnitSchema,
  points: z.array(z.object({ x: z.number(), y: z.number() })),
});
const ObservationSchema = z.object({
  value: z.union([ScalarSchema, DistributionSchema, CurveSchema]),
  unit: UnitSchema,
  varies: z.enum(["timing", "size"]).optional(),
});
const EvidenceSchema = z.object({
  id: z.string(),
  title: z.string(),
  columns: z.array(z.string()),
  rows: z.array(z.array(ScalarSchema)),
});
const SubjectOutcomeSchema = z.object({
  subject: z.enum(SUBJECT_IDS),
  status: z.enum(["measured", "unsupported", "failed"]),
  observations: z.record(z.string(), ObservationSchema),
  evidence: z.array(EvidenceSchema),
  problem: z.object({ message: z.string(), logTail: z.string().nullable() }).nullable(),
  durationMs: z.number().nonnegative(),
});
const ScenarioResultSchema = z.object({
  id: z.string(),
  claim: z.string(),
  startedAt: z.string(),
  durationMs: z.number().nonnegative(),
  outcomes: z.array(SubjectOutcomeSchema),
});

const StoredResultsSchema = z.object({
  schemaVersion: z.union(READABLE_VERSIONS.map((version) => z.literal(version))),
  runId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  seed: z.number().int(),
  size: z.enum(["small", "default", "large"]),
  runtime: z.enum(["local", "docker", "external"]),
  /** Kafka brokers of the stack the run measured (absent in files from before the lab could run three). */
  kafkaBrokers: z.number().int().positive().optional(),
  machine: z.object({ cpus: z.number().int(), memoryBytes: z.number(), platform: z.string(), cpuModel: z.string() }),
  versions: z.object({
    postgres: z.string().nullable(),
    kafka: z.string().nullable(),
    debezium: z.string().nullable(),
    node: z.string(),
    kafkajs: z.string(),
  }),
  /** Scenarios asked for that did not run at all (e.g. the stack failed before them). */
  notRun: z.array(z.object({ id: z.string(), reason: z.string() })),
  scenarios: z.array(ScenarioResultSchema),
});
export type LabResults = Omit<z.infer<typeof StoredResultsSchema>, "schemaVersion"> & { schemaVersion: typeof RESULTS_SCHEMA_VERSION };

/** Reads a results file of any readable version as the current one. */
export function parseResults(raw: unknown, source: string): LabResults {
  const parsed = StoredResultsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new LabError("DecodeFailed", `${source} is not a results file of schema version ${READABLE_VERSIONS.join(" or ")}: ${z.prettifyError(parsed.error)}`);
  }
  return { ...parsed.data, schemaVersion: RESULTS_SCHEMA_VERSION };
}

export function readResults(file: string): LabResults {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new LabError("DecodeFailed", `cannot read ${file}: ${describeError(error)}`, { cause: error });
  }
  return parseResults(raw, file);
}

/** Validates before writing, and writes atomically: a results file on disk is always whole. */
export function writeResults(file: string, results: LabResults): void {
  const valid = parseResults(results, "the results to write");
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.tmp`;
  writeFileSync(temp, `${JSON.stringify(valid, null, 2)}\n`);
  renameSync(temp, file);
}
