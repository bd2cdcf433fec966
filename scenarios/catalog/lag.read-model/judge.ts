import { figure, unmeasuredVerdict } from "../../kit/figures.ts";
import type { SubjectOutcome, Verdict } from "../../model/observations.ts";
import { OBS } from "./observations.ts";

/**
 * The bounds a p99 lag is judged against, from the response-time limits user-interface work has
 * used since the 1960s (Miller 1968; Nielsen, "Usability Engineering", 1993): within about one
 * second a user's flow is not interrupted, so a page read from the read model right after an
 * action and a reload still read as "it worked"; beyond about ten seconds attention is lost and
 * a user reads the stale page as "my change is gone". Chosen before measuring, for the product
 * question, not to separate the subjects.
 */
export const FLOW_BOUND_MS = 1_000;
export const ATTENTION_BOUND_MS = 10_000;

/**
 * The share of the scheduled rate a subject must carry for its lag to count as "under a steady
 * load": below it the subject was saturated, and its lag is that of a queue, not of the design.
 */
export const SUSTAINED_SHARE = 0.95;

/**
 * Full when 99% of writes were visible within FLOW_BOUND_MS, partial when within
 * ATTENTION_BOUND_MS, none beyond; none too when the read model ends unlike the source (a lag
 * figure of a wrong read model means nothing). A subject that could not carry the scheduled
 * rate is at best partial. Read-your-writes is in the figure, not in the symbol: every read
 * model here is asynchronous by design, so a low share is the expected price, shown, not graded.
 */
export function judgeLagReadModel(outcome: SubjectOutcome): Verdict {
  const unmeasured = unmeasuredVerdict(outcome);
  if (unmeasured !== null) return unmeasured;
  const lag = figure(outcome, OBS.lagMs);
  const matches = figure(outcome, OBS.readModelMatchesSource);
  if (lag === null || lag.count === 0) return { symbol: "failed", figure: "no lag measured" };
  if (matches === null) return { symbol: "failed", figure: "read model never compared with the source" };
  const readYourWrites = figure(outcome, OBS.readYourWrites);
  const text = `p99 ${milliseconds(lag.p99)}, read-your-writes ${readYourWrites === null ? "?" : `${readYourWrites}%`}`;
  if (!matches) return { symbol: "none", figure: `read model ends unlike the source; ${text}` };
  const target = figure(outcome, OBS.targetPerSecond);
  const carried = figure(outcome, OBS.issuedPerSecond);
  const saturated = target !== null && carried !== null && carried < SUSTAINED_SHARE * target;
  const withLoad = saturated ? `${text}; carried ${carried}/s of ${target}/s` : text;
  if (lag.p99 > ATTENTION_BOUND_MS) return { symbol: "none", figure: withLoad };
  if (lag.p99 > FLOW_BOUND_MS || saturated) return { symbol: "partial", figure: withLoad };
  return { symbol: "full", figure: withLoad };
}

function milliseconds(value: number): string {
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}
