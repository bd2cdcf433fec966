import { figure, unmeasuredVerdict } from "../../kit/figures.ts";
import type { SubjectOutcome, Verdict } from "../../model/observations.ts";
import { OBS } from "./observations.ts";

/**
 * ● nothing went wrong that a user could see: no acknowledged write lost, no cart shown in a
 * state it never had (by the best consumer the subject's records allow, and in the journal's
 * many-event append probe), no committed event skipped by its global reader. ◐ writes are safe
 * but a reader saw something that never existed or missed an event. ○ acknowledged writes were
 * lost. The naive poller is not held against the journal: it is the reader nobody should write.
 */
export function judgeOrderConcurrentWriters(outcome: SubjectOutcome): Verdict {
  const unmeasured = unmeasuredVerdict(outcome);
  if (unmeasured !== null) return unmeasured;
  const lost = figure(outcome, OBS.lostUpdates);
  const acknowledged = figure(outcome, OBS.writesAcknowledged);
  if (lost === null || acknowledged === null) return { symbol: "failed", figure: "no lost updates measured" };

  const grouped = figure(outcome, OBS.groupedTornViews);
  const torn = grouped ?? figure(outcome, OBS.tornViews);
  const probeTorn = figure(outcome, OBS.probeTornViews);
  const skipped = figure(outcome, OBS.safeReaderSkipped);
  const parts = [`${lost}/${acknowledged} writes lost`];
  if (torn !== null) parts.push(`${torn} torn views${grouped === null ? "" : " (grouped by transaction)"}`);
  if (probeTorn !== null) parts.push(`${probeTorn} in the many-event append probe`);
  if (skipped !== null) parts.push(`${skipped} events skipped by the safe reader`);
  const text = parts.join(", ");

  if (lost > 0) return { symbol: "none", figure: text };
  if ((torn ?? 0) > 0 || (probeTorn ?? 0) > 0 || (skipped ?? 0) > 0) return { symbol: "partial", figure: text };
  return { symbol: "full", figure: text };
}
