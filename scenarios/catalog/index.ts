import type { Scenario } from "../model/scenario.ts";
import { auditIntent } from "./audit-intent.ts";
import { reconstructAsOf } from "./reconstruct-as-of.ts";
import { recoverBadDeploy } from "./recover-bad-deploy.ts";
import { recoverBeyondRetention } from "./recover-beyond-retention.ts";
import { recoverTamperedState } from "./recover-tampered-state.ts";

/**
 * Every scenario the lab can run, by stable id, in the order `run` runs them. One file per
 * scenario id in this folder.
 */
export const SCENARIOS: Scenario<unknown>[] = [reconstructAsOf, auditIntent, recoverTamperedState, recoverBadDeploy, recoverBeyondRetention];

export function scenarioById(id: string): Scenario<unknown> | undefined {
  return SCENARIOS.find((scenario) => scenario.id === id);
}
