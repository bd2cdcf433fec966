import { figure, unmeasuredVerdict } from "../../kit/figures.ts";
import type { SubjectOutcome, Verdict } from "../../model/observations.ts";
import { OBS } from "./observations.ts";

/**
 * The cell: did the design's best-practice readers (CDC: the read model idempotent by LSN; the
 * journal: cart_summaries and shipping) end exactly right although records came twice? The
 * naive tally is reported beside it, never judged: it is the strawman, labelled as such.
 * Nothing delivered twice means the question was not asked: partial, with the reason.
 */
export function judgeDeliverDuplicates(outcome: SubjectOutcome): Verdict {
  const unmeasured = unmeasuredVerdict(outcome);
  if (unmeasured !== null) return unmeasured;
  const compared = figure(outcome, OBS.cartsCompared);
  const wrong = figure(outcome, OBS.idempotentCartsWrong);
  if (compared === null || compared === 0 || wrong === null) return { symbol: "failed", figure: "no read model compared" };
  const duplicates = figure(outcome, OBS.duplicatesDelivered);
  const redeliveries = figure(outcome, OBS.consumerRedeliveries);
  const rowsChanged = figure(outcome, OBS.projectionRowsChanged);
  const expected = figure(outcome, OBS.checkoutsExpected);
  const shipped = figure(outcome, OBS.shipmentsRecorded);
  const naive = figure(outcome, OBS.naiveCartsWrong);

  const shippingWrong = expected !== null && shipped !== expected;
  const parts = [`${duplicates ?? "?"} duplicates, ${redeliveries ?? "?"} redelivered`, `${wrong}/${compared} carts wrong`];
  if (rowsChanged !== null && rowsChanged > 0) parts.push(`${rowsChanged} rows rewritten`);
  if (expected !== null) parts.push(`${shipped ?? "?"}/${expected} shipped`);
  if (naive !== null) parts.push(`naive tally: ${naive} wrong`);
  const text = parts.join(", ");

  if (wrong > 0 || shippingWrong || (rowsChanged ?? 0) > 0) return { symbol: "none", figure: text };
  if ((duplicates ?? 0) + (redeliveries ?? 0) === 0) return { symbol: "partial", figure: `nothing delivered twice: ${text}` };
  return { symbol: "full", figure: text };
}
