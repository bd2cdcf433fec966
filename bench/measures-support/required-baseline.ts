import { LabError } from "../../services/platform/errors.ts";
import type { BenchContext, Measure } from "../harness/benchmark.ts";

/** The baseline measure a ratio is taken to, measured earlier in this run; its absence is a bug of `needs`, never a ratio of null. */
export function requiredBaseline(context: BenchContext, id: string): Measure {
  const baseline = context.measured.get(id);
  if (baseline === undefined) throw new LabError("ComponentFailed", `baseline ${id} was not measured before this benchmark: add its benchmark to \`needs\``);
  return baseline;
}
