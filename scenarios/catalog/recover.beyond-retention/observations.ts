import { observationNames } from "../../model/observations.ts";

/** What recover.beyond-retention measures per subject; docs/scenarios/recover.beyond-retention.md says what each means. */
export const OBS = observationNames({
  cartsAffected: ["count", "number"],
  cartsRestorable: ["count", "number"],
  badChangeInLog: ["boolean", "boolean"],
  historyOldestAgeMs: ["ms", "number"],
  badChangeAgeMs: ["ms", "number"],
  restoreMs: ["ms", "number"],
  cartsRestoredExactly: ["count", "number"],
  restoredPercent: ["percent", "number"],
});
