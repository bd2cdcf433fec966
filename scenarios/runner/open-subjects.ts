import pg from "pg";
import { cdcConnectorName } from "../../services/crud-cdc/cdc-variant.ts";
import type { CdcVariant } from "../../services/crud-cdc/cdc-variant.ts";
import { openCartDesigns } from "../../services/designs/cart-designs.ts";
import { describeError } from "../../services/platform/errors.ts";
import { createHttpConnectClient } from "../../services/runtime/connect-client.ts";
import { dropSlotWhenReleased } from "../../services/runtime/replication-slot.ts";
import type { OpenedSubject, RunContext } from "../model/scenario.ts";
import type { SubjectSpec } from "../model/subjects.ts";

/**
 * Each subject of each scenario gets schemas and a connector of its own, named after the run,
 * so subjects never share rows or topics and reruns never collide with old data.
 */
export async function openSubject(run: RunContext, scenarioIndex: number, spec: SubjectSpec, subjectIndex: number): Promise<OpenedSubject> {
  const name = `r${run.runId}_s${scenarioIndex}_${subjectIndex}`;
  const crudSchema = `${name}_crud`;
  const journalSchema = `${name}_journal`;
  const variant: CdcVariant = { name, schema: crudSchema, ...spec.variant };
  const designs = await openCartDesigns({
    endpoints: run.endpoints,
    logger: run.logger,
    crudSchema,
    journalSchema,
    variant,
    // Only CDC subjects stream; the others never register their connector.
    connectorStart: spec.design === "cdc" && spec.connectorStart === "early" ? "now" : "deferred",
    readyTimeoutMs: run.readyTimeoutMs,
  });
  return { spec, designs, crudSchema, journalSchema };
}

/** Removes what a subject created in PostgreSQL and Connect; the topics stay for inspection. */
export async function closeSubject(run: RunContext, subject: OpenedSubject): Promise<string[]> {
  const problems: string[] = [];
  const name = subject.crudSchema.replace(/_crud$/, "");
  await subject.designs.close().catch((error: unknown) => problems.push(`close: ${describeError(error)}`));
  await createHttpConnectClient(run.endpoints.connectUrl)
    .deleteConnector(cdcConnectorName({ name, schema: subject.crudSchema, ...subject.spec.variant }))
    .catch((error: unknown) => problems.push(`connector: ${describeError(error)}`));
  const client = new pg.Client({ connectionString: run.endpoints.postgresUrl });
  try {
    await client.connect();
    await dropSlotWhenReleased(run.endpoints.postgresUrl, `cdc_${name}_slot`, 30_000);
    await client.query(`DROP PUBLICATION IF EXISTS cdc_${name}_pub`);
    await client.query(`DROP SCHEMA IF EXISTS "${subject.crudSchema}" CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS "${subject.journalSchema}" CASCADE`);
  } catch (error) {
    problems.push(`cleanup: ${describeError(error)}`);
  } finally {
    await client.end().catch((error: unknown) => problems.push(`disconnect: ${describeError(error)}`));
  }
  return problems;
}
