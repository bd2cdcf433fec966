import { figure, unmeasuredVerdict } from "../../kit/figures.ts";
import type { SubjectOutcome, Verdict } from "../../model/observations.ts";
import { OBS } from "./observations.ts";

/** Full: every affected cart found, nothing else, every fixable one fixed exactly. None: nothing found. */
export function judgeBadDeploy(outcome: SubjectOutcome): Verdict {
  const unmeasured = unmeasuredVerdict(outcome);
  if (unmeasured !== null) return unmeasured;
  const found = figure(outcome, OBS.found);
  const recall = figure(outcome, OBS.recall);
  const precision = figure(outcome, OBS.precision);
  const fixable = figure(outcome, OBS.fixable);
  const fixedExactly = figure(outcome, OBS.fixedExactly);
  if (found === null) return { symbol: "failed", figure: "nothing measured" };
  if (found === 0) return { symbol: "none", figure: "0 carts found" };
  const text = `recall ${recall ?? "?"}%, precision ${precision ?? "?"}%, ${fixedExactly ?? "?"}/${fixable ?? "?"} fixed exactly`;
  const complete = recall === 100 && precision === 100 && fixable !== null && fixedExactly === fixable;
  return { symbol: complete ? "full" : "partial", figure: text };
}
