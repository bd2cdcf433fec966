import { figure, unmeasuredVerdict } from "../../kit/figures.ts";
import type { SubjectOutcome, Verdict } from "../../model/observations.ts";
import { OBS } from "./observations.ts";

/**
 * Full when the current code reads the whole history, answers every state-at probe across the
 * change exactly, and the running application lost no write to the migration. A design without
 * a history (the CRUD tables) has no cell for the question: n/a, unless the migration broke the
 * running application, which is partial.
 */
export function judgeEvolveSchema(outcome: SubjectOutcome): Verdict {
  const unmeasured = unmeasuredVerdict(outcome);
  if (unmeasured !== null) return unmeasured;
  const writesFailed = figure(outcome, OBS.writesFailed);
  const matching = figure(outcome, OBS.cartsMatchingRecordPercent);
  if (writesFailed === null || matching === null) return { symbol: "failed", figure: `no ${OBS.writesFailed.name} measured` };
  const appIntact = writesFailed === 0 && matching === 100;
  const readable = figure(outcome, OBS.readableByCurrentPercent);
  if (readable === null) {
    const naiveFailed = figure(outcome, OBS.naiveOldReleaseWritesFailed);
    const naiveWrites = figure(outcome, OBS.naiveOldReleaseWrites);
    const naive = naiveFailed === null || naiveWrites === null ? "" : `; naive rename: ${naiveFailed}/${naiveWrites} old-release writes failed`;
    return { symbol: appIntact ? "n/a" : "partial", figure: `no history; ${writesFailed} writes failed${naive}` };
  }
  const probes = [OBS.probesExactBeforePercent, OBS.probesExactAcrossPercent, OBS.probesExactAfterPercent].map((name) => figure(outcome, name)).filter((value): value is number => value !== null);
  if (probes.length === 0) return { symbol: "failed", figure: "no state-at probe measured" };
  const probesExact = Math.min(...probes);
  const oldErrors = figure(outcome, OBS.oldShapeDecodeErrors);
  // The worst window (before, across, after the change) is the figure: one bad window is the finding.
  const probesText = probesExact === 100 ? "every state-at probe exact" : `state-at probes ${probesExact}% exact in the worst window`;
  const text = `${readable}% of history readable, ${probesText}${oldErrors === null ? "" : `, old-shape reader: ${oldErrors} decode errors`}`;
  if (readable === 100 && probesExact === 100 && appIntact) return { symbol: "full", figure: text };
  if (readable === 0) return { symbol: "none", figure: text };
  return { symbol: "partial", figure: text };
}
