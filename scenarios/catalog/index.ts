import type { Scenario } from "../model/scenario.ts";

/**
 * Every scenario the lab can run, by stable id, in the order `run` runs them. One file per
 * scenario id in this folder.
 */
export const SCENARIOS: Scenario<unknown>[] = [];

export function scenarioById(id: string): Scenario<unknown> | undefined {
  return SCENARIOS.find((scenario) => scenario.id === id);
}
