import { observationNames } from "../../model/observations.ts";

/** What lag.read-model measures per subject; docs/scenarios/lag.read-model.md says what each means. */
export const OBS = observationNames({
  /** Per write: the read model has applied it, minus the application's commit returning. */
  lagMs: ["ms", "distribution"],
  /** Share of writes that one read of the read model, right after the command returned, already showed. */
  readYourWrites: ["percent", "number", "timing"],
  /** Commands that changed a cart: each is one sample of lagMs. */
  writesMeasured: ["count", "number"],
  /** Every command of the workload, rejected ones included: the load the subject carried. */
  commandsIssued: ["count", "number"],
  /** The rate the load was scheduled at (commands per second). */
  targetPerSecond: ["count", "number"],
  /** The rate the subject carried: commands over the time from the first scheduled one to the last answer. */
  issuedPerSecond: ["count", "number", "timing"],
  /** The latest a command started after its scheduled time: grows without bound past saturation. */
  maxIssueDelayMs: ["ms", "number"],
  /** Share of the time from the first commit to the last write visible that the feeder was working: near 100, the feeder is saturated. */
  feederBusyPercent: ["percent", "number", "timing"],
  /** After the load, the read model shows every cart exactly as the source holds it. */
  readModelMatchesSource: ["boolean", "boolean"],
});
