import { observationNames } from "../../model/observations.ts";

/** What recover.bad-deploy measures per subject; docs/scenarios/recover.bad-deploy.md says what each means. */
export const OBS = observationNames({
  truthAffected: ["count", "number"],
  found: ["count", "number"],
  precision: ["percent", "number"],
  recall: ["percent", "number"],
  fixable: ["count", "number"],
  fixed: ["count", "number"],
  fixedExactly: ["count", "number"],
  fixAudited: ["boolean", "boolean"],
});
