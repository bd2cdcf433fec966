import type { BenchFile } from "../../bench/harness/bench-file.ts";
import { measureTargetText, outcomeText, ratioText, valueText } from "../../bench/harness/bench-format.ts";

/**
 * "What each design costs": the main report quotes the latest bench run (`npm run bench`), never
 * a figure typed by hand. The report's own run measures what each design can answer; the bench
 * measures what each costs per command, per question and per change streamed.
 */
export interface DesignCosts {
  benchId: string;
  finishedAt: string;
  /** Where the figures come from, and under which settings they were measured. */
  provenance: string;
  rows: CostRow[];
}

export interface CostRow {
  id: string;
  label: string;
  value: string;
  /** "0.36× baseline.insert.w1", or "" without a baseline. */
  ratio: string;
  /** "≥ 0.4× ✓ met", "≤ 100 ms ✗ missed", or "" where the issue names no target. */
  target: string;
}

/** What the section says before any bench ran in this checkout. */
export const NO_BENCH = "No bench run in this checkout yet: `npm run bench` measures what each design costs per command, per question of the past and per change streamed, and this section quotes its latest run.";

/** Built from the latest bench.json, or null when no bench ran in this checkout. */
export function designCosts(bench: BenchFile | null): DesignCosts | null {
  if (bench === null) return null;
  const fsync = String(bench.settings["fsync"] ?? "not recorded");
  const size = bench.quick ? "the quick suite (small sizes: read its figures as a smoke test)" : "the full suite";
  // A run with --only measured some benchmarks alone: its figures stand, but it is not the whole picture.
  const selected = bench.settings["benchmarks"];
  const kind = selected === undefined || selected === "all" ? size : `${size}, only ${String(selected)} (--only: the other figures were not measured in that run)`;
  return {
    benchId: bench.id,
    finishedAt: bench.finishedAt,
    provenance: `Quoted from bench run ${bench.id}, finished ${bench.finishedAt}: ${kind}, fsync ${fsync}, on ${bench.machine.cpus} × ${bench.machine.cpuModel}. Ratios are to baselines measured in the same run; docs/benchmarks.md explains each figure.${bench.interrupted ? " That run was interrupted: some measures are missing." : ""}`,
    rows: bench.measures
      .filter((measure) => !measure.id.startsWith("baseline."))
      .map((measure) => ({
        id: measure.id,
        label: measure.label,
        value: valueText(measure.value, measure.unit),
        ratio: measure.baseline === null || measure.ratio === null ? "" : `${ratioText(measure.ratio)} ${measure.baseline}`,
        target: [measureTargetText(measure), outcomeText(measure)].filter((part) => part !== "").join(" "),
      })),
  };
}
