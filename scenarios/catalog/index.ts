import type { Scenario } from "../model/scenario.ts";
import { auditIntent } from "./audit.intent/scenario.ts";
import { deliverDuplicates } from "./deliver.duplicates/scenario.ts";
import { eraseCustomerScenario } from "./erase.customer/scenario.ts";
import { evolveSchema } from "./evolve.schema/scenario.ts";
import { lagReadModel } from "./lag.read-model/scenario.ts";
import { orderConcurrentWriters } from "./order.concurrent-writers/scenario.ts";
import { reconstructAsOf } from "./reconstruct.as-of/scenario.ts";
import { recoverBadDeploy } from "./recover.bad-deploy/scenario.ts";
import { recoverBeyondRetention } from "./recover.beyond-retention/scenario.ts";
import { recoverTamperedState } from "./recover.tampered-state/scenario.ts";
import { snapshotLongStream } from "./snapshot.long-stream/scenario.ts";
import { storageFootprint } from "./storage.footprint/scenario.ts";

/**
 * Every scenario the lab can run, by stable id, in the order `run` runs them (the brief's table order). One folder per
 * scenario id in this folder (`<id>/scenario.ts`, with its observations and judge).
 */
export const SCENARIOS: Scenario<unknown>[] = [reconstructAsOf, auditIntent, recoverTamperedState, recoverBadDeploy, recoverBeyondRetention, deliverDuplicates, orderConcurrentWriters, lagReadModel, snapshotLongStream, evolveSchema, eraseCustomerScenario, storageFootprint];

export function scenarioById(id: string): Scenario<unknown> | undefined {
  return SCENARIOS.find((scenario) => scenario.id === id);
}
