import { figure, unmeasuredVerdict } from "../../kit/figures.ts";
import type { SubjectOutcome, Verdict } from "../../model/observations.ts";
import { OBS } from "./observations.ts";

/**
 * The bound a load of the cart's current state is judged against, at the largest length: 0.1 s,
 * the response time under which an answer feels instant (Nielsen's first limit). Every command
 * on the cart begins with this load, so a load over it alone makes each command on a long cart
 * slower than instant, whatever else the command costs. Chosen before measuring; see
 * docs/scenarios/snapshot.long-stream.md.
 */
export const LOAD_BUDGET_MS = 100;

/**
 * full: every load gave the recorded state, and the current state at the largest length loads
 * within LOAD_BUDGET_MS. partial: the state is right but the load takes longer. none: some load
 * gave a state other than the record's.
 */
export function judgeLongStream(outcome: SubjectOutcome): Verdict {
  const unmeasured = unmeasuredVerdict(outcome);
  if (unmeasured !== null) return unmeasured;
  const loadMs = figure(outcome, OBS.loadMsAtLargest);
  const length = figure(outcome, OBS.largestLength);
  const matched = figure(outcome, OBS.loadsMatched);
  const total = figure(outcome, OBS.loadsTotal);
  if (loadMs === null || length === null || matched === null || total === null || total === 0) return { symbol: "failed", figure: "no load measured" };
  if (matched < total) return { symbol: "none", figure: `${total - matched}/${total} loads differ from the record` };
  const read = figure(outcome, OBS.recordsReadAtLargest);
  const text = `${formatMs(loadMs)} at ${count(length)} changes${read === null ? "" : `, ${count(read)} read`}`;
  return { symbol: loadMs <= LOAD_BUDGET_MS ? "full" : "partial", figure: text };
}

function formatMs(ms: number): string {
  if (ms >= 1_000) return `${(ms / 1_000).toFixed(2)} s`;
  return ms >= 10 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

function count(value: number): string {
  return value.toLocaleString("en-US");
}
