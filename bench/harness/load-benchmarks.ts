import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { LabError, describeError } from "../../services/platform/errors.ts";
import type { Benchmark } from "./benchmark.ts";

/**
 * Every benchmark of the suite: one per file directly under `bench/`, found there rather than
 * listed, so adding a benchmark is adding its file. A file there must export exactly one
 * benchmark whose id is its file name; helpers live in subfolders (harness/, measures-support/).
 */
export async function loadBenchmarks(benchDir: string): Promise<Benchmark[]> {
  const files = readdirSync(benchDir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => entry.name)
    .sort();
  const benchmarks: Benchmark[] = [];
  for (const file of files) {
    const where = path.join(benchDir, file);
    let exported: Record<string, unknown>;
    try {
      exported = (await import(pathToFileURL(where).href)) as Record<string, unknown>;
    } catch (error) {
      throw new LabError("ComponentFailed", `bench/${file} cannot be loaded: ${describeError(error)}`, { cause: error });
    }
    // The same object exported twice (named and default) is one benchmark.
    const found = [...new Set(Object.values(exported).filter(isBenchmark))];
    if (found.length !== 1) {
      throw new LabError("ComponentFailed", `bench/${file} exports ${found.length} benchmarks; a file directly under bench/ exports exactly one`, {
        hint: "Helpers go in a subfolder (bench/measures-support/).",
      });
    }
    const benchmark = found[0] as Benchmark;
    const expectedId = file.slice(0, -".ts".length);
    if (benchmark.id !== expectedId) throw new LabError("ComponentFailed", `bench/${file} exports benchmark ${JSON.stringify(benchmark.id)}; its id must be its file name, ${JSON.stringify(expectedId)}`);
    benchmarks.push(benchmark);
  }
  return benchmarks;
}

function isBenchmark(value: unknown): value is Benchmark {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<Record<keyof Benchmark, unknown>>;
  return typeof candidate.id === "string" && typeof candidate.title === "string" && (candidate.kind === "baseline" || candidate.kind === "measure") && typeof candidate.run === "function";
}
