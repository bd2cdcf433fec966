import { LabError } from "../../../services/platform/errors.ts";
import { figure, unmeasuredVerdict } from "../../kit/figures.ts";
import type { ObservationName, SubjectOutcome, Verdict } from "../../model/observations.ts";
import { OBS } from "./observations.ts";

/** Full when every probe matched, partial as soon as one did, none when none did. */
export function judgeReconstruct(outcome: SubjectOutcome): Verdict {
  const unmeasured = unmeasuredVerdict(outcome);
  if (unmeasured !== null) return unmeasured;
  const percent = required(outcome, OBS.matchPercent);
  const matched = required(outcome, OBS.probesMatched);
  const total = required(outcome, OBS.probesTotal);
  const text = `${percentFigure(percent)} (${matched}/${total})`;
  if (percent === 100) return { symbol: "full", figure: text };
  if (percent > 0) return { symbol: "partial", figure: text };
  return { symbol: "none", figure: text };
}

/** A measured outcome without its figure is a bug of the scenario, not a verdict. */
function required(outcome: SubjectOutcome, name: ObservationName<"number">): number {
  const value = figure(outcome, name);
  if (value === null) throw new LabError("DecodeFailed", `${outcome.subject} has no numeric observation ${name.name}`);
  return value;
}

/** One decimal, rounded down, so a figure never shows 100% while a probe was lost. */
function percentFigure(percent: number): string {
  return `${Math.floor(percent * 10) / 10}%`;
}
