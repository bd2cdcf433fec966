import { LabError } from "../../services/platform/errors.ts";
import type { Benchmark } from "./benchmark.ts";

/**
 * Which benchmarks run, in which order: what `--only` names plus what those need (a measure
 * without `needs` needs every baseline), baselines first, then each benchmark after the ones it
 * needs; ties by id, so two runs of one suite take their measures in the same order.
 */
export function selectBenchmarks(all: readonly Benchmark[], only: readonly string[]): Benchmark[] {
  const byId = new Map(all.map((benchmark) => [benchmark.id, benchmark]));
  const unknown = only.filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    throw new LabError("UsageInvalid", `--only names unknown benchmark ${unknown.map((id) => JSON.stringify(id)).join(", ")}; known: ${[...byId.keys()].sort().join(", ")}`);
  }
  const needsOf = (benchmark: Benchmark): string[] => {
    const needs = benchmark.needs ?? (benchmark.kind === "measure" ? all.filter((other) => other.kind === "baseline").map((other) => other.id) : []);
    const missing = needs.filter((id) => !byId.has(id));
    if (missing.length > 0) throw new LabError("ComponentFailed", `benchmark ${benchmark.id} needs ${missing.join(", ")}, which bench/ does not hold`);
    return [...needs];
  };

  const selected = new Set<string>();
  const pending = only.length === 0 ? all.map((benchmark) => benchmark.id) : [...only];
  while (pending.length > 0) {
    const id = pending.pop() as string;
    if (selected.has(id)) continue;
    selected.add(id);
    pending.push(...needsOf(byId.get(id) as Benchmark));
  }

  const rank = (benchmark: Benchmark) => `${benchmark.kind === "baseline" ? 0 : 1}:${benchmark.id}`;
  const waiting = [...selected].map((id) => byId.get(id) as Benchmark).sort((a, b) => rank(a).localeCompare(rank(b)));
  const ordered: Benchmark[] = [];
  const done = new Set<string>();
  while (waiting.length > 0) {
    const next = waiting.findIndex((benchmark) => needsOf(benchmark).every((id) => done.has(id) || id === benchmark.id));
    if (next < 0) throw new LabError("ComponentFailed", `benchmarks ${waiting.map((benchmark) => benchmark.id).join(", ")} need each other: no order runs them`);
    const [benchmark] = waiting.splice(next, 1) as [Benchmark];
    ordered.push(benchmark);
    done.add(benchmark.id);
  }
  return ordered;
}
