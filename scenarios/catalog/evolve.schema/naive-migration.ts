import { migrateCrudSchema } from "../../../services/crud-cdc/crud/migrate-crud-schema.ts";
import { renameAndRetypeUnitPrice } from "../../../services/crud-cdc/crud/migrate-unit-price.ts";
import { LabError } from "../../../services/platform/errors.ts";
import { recordedViews, sameView } from "../../kit/cart-record.ts";
import type { CrudDriver } from "../../kit/drivers/subject-driver.ts";
import { dropSchema } from "../../kit/drivers/drop-schema.ts";
import type { StepContext } from "../../model/scenario.ts";
import type { WorkloadCommand } from "../../workload/cart-workload.ts";
import { tryApply } from "./evolve-run.ts";
import type { EvolveRun } from "./evolve-run.ts";
import { OBS } from "./observations.ts";
import { crudReleasesOn } from "./releases.ts";
import type { RunningRelease } from "./releases.ts";

/**
 * The naive way, beside the subject's own expand/contract: the same workload on tables of its
 * own (named after the subject, so the run's cleanup finds them), migrated in one step (rename
 * and retype) while the old release still runs. The old release's writes after the migration
 * are counted as its errors; then the new release takes over, and the carts are compared with
 * the record. The record was kept by the rules alone, so it says what the carts should be.
 */
export async function runNaiveMigration(context: StepContext<EvolveRun>, crud: CrudDriver): Promise<void> {
  const { state } = context;
  const id = crud.spec.id;
  const schema = `${crud.names.subject}_naive`;
  await migrateCrudSchema(crud.knex, { schema, replicaIdentity: "default" });
  let problems: string[] = [];
  try {
    const releases = crudReleasesOn(crud.knex, schema);
    const { acrossFrom, afterFrom } = state.bounds;
    await replay(releases.cents, state.workload.slice(0, acrossFrom));
    await renameAndRetypeUnitPrice(crud.knex, schema);
    const oldAfterMigration = await replay(releases.cents, state.workload.slice(acrossFrom, afterFrom));
    const newRelease = await replay(releases.decimal, state.workload.slice(afterFrom));
    let wrong = 0;
    for (const [cartId, view] of recordedViews(state.record)) if (!sameView(await releases.decimal.current(cartId), view)) wrong += 1;
    context.observe(id, OBS.naiveOldReleaseWrites, afterFrom - acrossFrom);
    context.observe(id, OBS.naiveOldReleaseWritesFailed, oldAfterMigration.length);
    context.observe(id, OBS.naiveNewReleaseWritesFailed, newRelease.length);
    context.observe(id, OBS.naiveCartsWrong, wrong);
    context.evidence(id, {
      id: `${id}-naive-migration`,
      title: "Naive one-step rename + retype while the old release runs: its first failed writes",
      columns: ["release", "command", "cartId", "problem"],
      rows: [...oldAfterMigration, ...newRelease].slice(0, 10),
    });
  } finally {
    // Dropped here rather than left to the run's cleanup: the next step should not find it.
    problems = await dropSchema(crud.pool, schema);
  }
  if (problems.length > 0) throw new LabError("ComponentFailed", problems.join("; "));
}

/**
 * Sends commands through a release. The answers of a release whose table no longer fits it
 * cannot be checked against the record command by command (the record assumes every write
 * landed), so what is counted here is the errors; the final comparison says what they cost.
 */
export async function replay(release: RunningRelease, entries: readonly WorkloadCommand[]): Promise<string[][]> {
  const failed: string[][] = [];
  for (const entry of entries) {
    const outcome = await tryApply(release, entry);
    // A rejection by the rules is an answer; only an error of the application counts here.
    if (outcome.kind === "error") failed.push([release.name, String(entry.command["type"]), String(entry.command["cartId"]), outcome.message]);
  }
  return failed;
}
