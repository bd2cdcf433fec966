import { observationNames } from "../../model/observations.ts";

/** What audit.intent measures per subject; docs/scenarios/audit.intent.md says what each means. */
export const OBS = observationNames({
  changesMade: ["count", "number"],
  changesInLog: ["count", "number"],
  commandsWithReason: ["count", "number"],
  operationKnownPercent: ["percent", "number"],
  actorKnownPercent: ["percent", "number"],
  reasonKnownPercent: ["percent", "number"],
  journalEditRefused: ["boolean", "boolean"],
  readModelRowsEdited: ["count", "number"],
  journalUnchanged: ["boolean", "boolean"],
  directEditVisible: ["boolean", "boolean"],
  directEditAttributed: ["boolean", "boolean"],
  directEditOldValueKnown: ["boolean", "boolean"],
});
