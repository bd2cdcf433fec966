import { observationNames } from "../../model/observations.ts";

/** What reconstruct.as-of measures per subject; docs/scenarios/reconstruct.as-of.md says what each means. */
export const OBS = observationNames({
  probesTotal: ["count", "number"],
  probesMatched: ["count", "number"],
  probesLost: ["count", "number"],
  matchPercent: ["percent", "number"],
  timeProbesTotal: ["count", "number"],
  timeProbesMatched: ["count", "number"],
  versionProbesTotal: ["count", "number"],
  versionProbesMatched: ["count", "number"],
  msPerProbe: ["ms", "number"],
  changeEventsRead: ["count", "number"],
  historyStartsWithSnapshot: ["boolean", "boolean"],
  snapshotRecords: ["count", "number"],
  compactionHappened: ["boolean", "boolean"],
  recordsCompactedAway: ["count", "number"],
  compactionWaitMs: ["ms", "number"],
});
