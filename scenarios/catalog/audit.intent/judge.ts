import { LabError } from "../../../services/platform/errors.ts";
import { figure, unmeasuredVerdict } from "../../kit/figures.ts";
import type { ObservationName, SubjectOutcome, Verdict } from "../../model/observations.ts";
import { OBS } from "./observations.ts";

/** Full when actor and reason are known for every change; none when no change has a known actor. */
export function judgeAudit(outcome: SubjectOutcome): Verdict {
  const unmeasured = unmeasuredVerdict(outcome);
  if (unmeasured !== null) return unmeasured;
  const actor = recorded(outcome, OBS.actorKnownPercent);
  const reason = recorded(outcome, OBS.reasonKnownPercent);
  const text = `actor ${percentFigure(actor)}, reason ${percentFigure(reason)}`;
  if (actor === 100 && reason === 100) return { symbol: "full", figure: text };
  if (actor === null || actor === 0) return { symbol: "none", figure: text };
  return { symbol: "partial", figure: text };
}

/**
 * A share that may be null (nothing to divide: no change, or no reason given), but must have
 * been recorded: a measured outcome without it is a bug of the scenario, not a verdict.
 */
function recorded(outcome: SubjectOutcome, name: ObservationName<"number">): number | null {
  const value = figure(outcome, name);
  // figure() reads a missing or mistyped value as null; only a recorded null means "nothing to divide".
  if (value === null && outcome.observations[name.name]?.value !== null) throw new LabError("DecodeFailed", `${outcome.subject} has no numeric observation ${name.name}`);
  return value;
}

/** One decimal, rounded down, so a figure never shows 100% while a change went unattributed. */
function percentFigure(value: number | null): string {
  return value === null ? "n/a" : `${Math.floor(value * 10) / 10}%`;
}
