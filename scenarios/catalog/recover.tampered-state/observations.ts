import { observationNames } from "../../model/observations.ts";

/** What recover.tampered-state measures per subject; docs/scenarios/recover.tampered-state.md says what each means. */
export const OBS = observationNames({
  cartsTampered: ["count", "number"],
  editVisibleInLog: ["boolean", "boolean"],
  editAttributed: ["boolean", "boolean"],
  editStandsOut: ["boolean", "boolean"],
  restoreMs: ["ms", "number"],
  cartsRewritten: ["count", "number"],
  cartsRestoredExactly: ["count", "number"],
  restoredPercent: ["percent", "number"],
  otherCartsIntact: ["boolean", "boolean"],
});
