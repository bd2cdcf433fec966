import { z } from "zod";
import { LabError } from "../../services/platform/errors.ts";
import type { Measure } from "./benchmark.ts";
import { MeasureSchema } from "./bench-file.ts";

/**
 * What the harness does with a benchmark's measures before they count: checks each against the
 * contract (a bug there fails that benchmark, never the file), computes every ratio itself from
 * the baseline's value in this run (so bench.json's ratios are consistent by construction), and
 * stamps the run's durability settings on each, so every figure says what it was measured under.
 */
export function acceptMeasures(benchmarkId: string, returned: readonly Measure[], measured: ReadonlyMap<string, Measure>, stamp: Measure["settings"]): Measure[] {
  const accepted: Measure[] = [];
  const known = new Map(measured);
  for (const candidate of returned) {
    const parsed = MeasureSchema.safeParse(candidate);
    if (!parsed.success) {
      throw new LabError("ComponentFailed", `benchmark ${benchmarkId} returned a measure that breaks the contract (${describeCandidate(candidate)}): ${z.prettifyError(parsed.error)}`);
    }
    const measure = parsed.data;
    if (known.has(measure.id)) throw new LabError("ComponentFailed", `benchmark ${benchmarkId} returned measure ${measure.id}, whose id was already taken in this run`);
    let ratio: number | null = null;
    if (measure.baseline !== null) {
      const baseline = known.get(measure.baseline);
      if (baseline === undefined) throw new LabError("ComponentFailed", `measure ${measure.id} names baseline ${measure.baseline}, which was not measured before it in this run`);
      ratio = baseline.value === 0 ? null : measure.value / baseline.value;
    }
    const stamped: Measure = { ...measure, ratio, settings: { ...measure.settings, ...stamp } };
    accepted.push(stamped);
    known.set(stamped.id, stamped);
  }
  return accepted;
}

function describeCandidate(candidate: unknown): string {
  const id = typeof candidate === "object" && candidate !== null ? (candidate as { id?: unknown }).id : undefined;
  return typeof id === "string" ? id : "a measure without an id";
}
