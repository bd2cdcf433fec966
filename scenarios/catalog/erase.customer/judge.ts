import { figure, unmeasuredVerdict } from "../../kit/figures.ts";
import type { SubjectOutcome, Verdict } from "../../model/observations.ts";
import { OBS } from "./observations.ts";

/**
 * Full when the forgotten customer's e-mail and address are readable nowhere the subject keeps
 * data and the customer's carts kept their totals (and their past, where the design has one);
 * none when every place that held them still does; partial in between. A scan that found no
 * marker before the erase proves nothing, and is reported as a failure of the scan, never as
 * "erased".
 */
export function judgeEraseCustomer(outcome: SubjectOutcome): Verdict {
  const unmeasured = unmeasuredVerdict(outcome);
  if (unmeasured !== null) return unmeasured;
  const recordsBefore = figure(outcome, OBS.markerRecordsBefore);
  const holdingBefore = figure(outcome, OBS.placesHoldingBefore);
  const holdingAfter = figure(outcome, OBS.placesHoldingAfter);
  const still = figure(outcome, OBS.placesStillHolding);
  if (recordsBefore === null || holdingBefore === null || holdingAfter === null || still === null) {
    return { symbol: "failed", figure: "the scan's figures are missing" };
  }
  if (recordsBefore === 0 || holdingBefore === 0) return { symbol: "failed", figure: "the scan found no marker before the erase, so it proves nothing" };

  const carts = figure(outcome, OBS.customerCarts) ?? 0;
  const totalsKept = figure(outcome, OBS.totalsKept) ?? 0;
  const probes = figure(outcome, OBS.timeTravelProbes);
  const matched = figure(outcome, OBS.timeTravelMatched);
  const broken: string[] = [];
  if (totalsKept < carts) broken.push(`${carts - totalsKept}/${carts} carts lost their totals`);
  if (probes !== null && matched !== null && matched < probes) broken.push(`${probes - matched}/${probes} past states lost`);
  const works = broken.length === 0 ? "" : `; ${broken.join(", ")}`;

  if (holdingAfter === 0) {
    return { symbol: broken.length === 0 ? "full" : "partial", figure: `gone from all ${holdingBefore} places${works}` };
  }
  const text = `readable in ${holdingAfter}/${holdingBefore} places (${still})${works}`;
  return { symbol: holdingAfter >= holdingBefore ? "none" : "partial", figure: text };
}
