import { figure, unmeasuredVerdict } from "../../kit/figures.ts";
import type { SubjectOutcome, Verdict } from "../../model/observations.ts";
import { OBS } from "./observations.ts";

/**
 * The cell: bytes per operation stored (and WAL written) in the figure, for the reader to compare
 * across subjects; the symbol says whether keeping that history carries a hazard the bytes alone
 * do not show. ● the footprint grows with the operations and nothing else; ◐ a stopped consumer
 * makes the database keep WAL for it, per operation written meanwhile (a disk that fills while
 * the CDC pipeline is down); ○ the stream lost changes after the consumer came back.
 */
export function judgeStorageFootprint(outcome: SubjectOutcome): Verdict {
  const unmeasured = unmeasuredVerdict(outcome);
  if (unmeasured !== null) return unmeasured;
  const stored = figure(outcome, OBS.storedBytesPerOp);
  if (stored === null) return { symbol: "failed", figure: "no bytes per operation measured" };
  // The subject's own WAL when pg_walinspect could tell it apart; else the cluster's, labelled so.
  const ownWal = figure(outcome, OBS.walBytesPerOp);
  const clusterWal = figure(outcome, OBS.clusterWalBytesPerOp);
  const wal = ownWal !== null ? `${formatBytes(ownWal)}/op WAL` : clusterWal !== null ? `${formatBytes(clusterWal)}/op cluster WAL` : null;
  const retained = figure(outcome, OBS.slotWalRetainedPerOp);
  const text = [`${formatBytes(stored)}/op stored`, wal, retained === null ? null : `slot keeps ${formatBytes(retained)}/op while stopped`]
    .filter((part) => part !== null)
    .join(", ");
  if (figure(outcome, OBS.historyCompleteAfterResume) === false) return { symbol: "none", figure: `${text}; changes lost after resume` };
  if (retained !== null && retained > 0) return { symbol: "partial", figure: text };
  return { symbol: "full", figure: text };
}

function formatBytes(bytes: number): string {
  return Math.abs(bytes) >= 10_000 ? `${(bytes / 1024).toFixed(1)} KiB` : `${Math.round(bytes)} B`;
}
