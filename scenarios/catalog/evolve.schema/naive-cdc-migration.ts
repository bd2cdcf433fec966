import { cdcResourceNames, cdcTopics, ensureCdcConnector } from "../../../services/crud-cdc/cdc-variant.ts";
import type { CdcVariant } from "../../../services/crud-cdc/cdc-variant.ts";
import type { ChangeEvent, Row } from "../../../services/crud-cdc/change-event.ts";
import { decodeCartLineAs } from "../../../services/crud-cdc/crud/crud-cart-rows.ts";
import { crudTableNames } from "../../../services/crud-cdc/crud/crud-tables.ts";
import { migrateCrudSchema } from "../../../services/crud-cdc/crud/migrate-crud-schema.ts";
import { backfillUnitPrice, contractUnitPriceCents, expandUnitPrice, requireUnitPrice } from "../../../services/crud-cdc/crud/migrate-unit-price.ts";
import { LabError, describeError } from "../../../services/platform/errors.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { createHttpConnectClient } from "../../../services/runtime/connect-client.ts";
import { dropSlotWhenReleased, waitForSlotActive } from "../../../services/runtime/replication-slot.ts";
import type { CdcDriver } from "../../kit/drivers/subject-driver.ts";
import { dropSchema } from "../../kit/drivers/drop-schema.ts";
import { markTime } from "../../kit/time-mark.ts";
import type { StepContext } from "../../model/scenario.ts";
import type { SubjectId } from "../../model/subjects.ts";
import type { EvolveRun } from "./evolve-run.ts";
import { replay } from "./naive-migration.ts";
import { OBS } from "./observations.ts";
import { crudReleasesOn } from "./releases.ts";
import { attemptRead, isStateChange, readChangeEvent, readabilityOf, readablePercent } from "./shape-readers.ts";

const SLOT_RELEASE_TIMEOUT_MS = 30_000;
const SENTINEL_CART = "evolve-sentinel";

/**
 * The same expand/contract, done right on the application's side, while the connector is down
 * (a Kafka Connect restart or rebalance during the deploy is enough): on tables, a connector, a
 * slot and topics of their own, named after the subject. The slot keeps the WAL; when the
 * connector comes back it decodes the rows written under the expanded layout, but it reads that
 * layout's columns from the catalog as it is now, after the NOT NULL and the DROP. What that does
 * to the history is measured with the current code's row reader.
 */
export async function runNaiveCdcMigration(context: StepContext<EvolveRun>, cdc: CdcDriver): Promise<void> {
  const { state } = context;
  const { endpoints } = context.run;
  const id = cdc.spec.id;
  const name = `${cdc.names.subject}_lag`;
  const variant: CdcVariant = { name, schema: name, replicaIdentity: cdc.spec.cdc.replicaIdentity, intent: false, retention: "full", transactionMetadata: false, polling: cdc.spec.cdc.polling };
  const resources = cdcResourceNames(variant);
  const connect = createHttpConnectClient(endpoints.connectUrl);
  const start = async () => {
    await ensureCdcConnector(connect, variant, endpoints.connectorDatabase, context.run.readyTimeoutMs);
    await waitForSlotActive(endpoints.postgresUrl, resources.slot, context.run.readyTimeoutMs);
  };
  await migrateCrudSchema(cdc.knex, { schema: name, replicaIdentity: variant.replicaIdentity });
  const problems: string[] = [];
  try {
    await start();
    const releases = crudReleasesOn(cdc.knex, name);
    const { acrossFrom, overlapTo, afterFrom } = state.bounds;
    const failed = [...(await replay(releases.cents, state.workload.slice(0, acrossFrom)))];
    await waitForChangesUpTo(cdc, variant, await markTime(), releases.cents);
    // The connector goes down; its slot stays and keeps every change from here on.
    await connect.deleteConnector(resources.connector);
    await waitFor(async () => ((await connect.connectorStatus(resources.connector)) === null ? true : undefined), {
      what: `connector ${resources.connector} to be gone`,
      timeoutMs: context.run.readyTimeoutMs,
      intervalMs: 250,
    });
    await expandUnitPrice(cdc.knex, name);
    failed.push(...(await replay(releases.cents, state.workload.slice(acrossFrom, overlapTo))));
    failed.push(...(await replay(releases.dual, state.workload.slice(overlapTo, afterFrom))));
    await backfillUnitPrice(cdc.knex, name, { batchSize: 50 });
    await requireUnitPrice(cdc.knex, name);
    await contractUnitPriceCents(cdc.knex, name);
    failed.push(...(await replay(releases.decimal, state.workload.slice(afterFrom))));
    if (failed.length > 0) throw new LabError("ComponentFailed", `the releases failed ${failed.length} commands on ${name}: ${failed[0]?.join(" ")}`);
    await start();
    const sentinelAt = await markTime();
    observeLaggedHistory(context, id, await waitForChangesUpTo(cdc, variant, sentinelAt, releases.decimal), sentinelAt);
  } finally {
    await connect.deleteConnector(resources.connector).catch((error: unknown) => problems.push(`connector ${resources.connector}: ${describeError(error)}`));
    await dropSlotWhenReleased(endpoints.postgresUrl, resources.slot, SLOT_RELEASE_TIMEOUT_MS).catch((error: unknown) => problems.push(`slot ${resources.slot}: ${describeError(error)}`));
    await cdc.pool.query(`DROP PUBLICATION IF EXISTS ${resources.publication}`).catch((error: unknown) => problems.push(`publication ${resources.publication}: ${describeError(error)}`));
    problems.push(...(await dropSchema(cdc.pool, name)));
  }
  // The topics stay until the run's cleanup, which finds them by the subject's stem.
  if (problems.length > 0) throw new LabError("ComponentFailed", problems.join("; "));
}

/**
 * Writes one sentinel change after `at` and waits (bounded) until it is on the topics: Debezium
 * emits in commit order, so everything committed before it is there too. Resolves with every
 * change event the variant's topics hold.
 */
async function waitForChangesUpTo(
  cdc: CdcDriver,
  variant: CdcVariant,
  at: number,
  release: { apply(command: unknown, metadata: unknown): Promise<unknown> },
): Promise<ChangeEvent[]> {
  // A new cart each time, so the sentinel is always a change, whatever came before.
  const sentinel = `${SENTINEL_CART}-${at}`;
  await release.apply({ type: "AddItem", cartId: sentinel, sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 1 }, { actor: "sentinel" });
  return waitFor(
    async () => {
      const events = await cdc.changeFeed.readToEnd(cdcTopics(variant).all);
      return events.some((event) => event.kind === "row" && event.source.committedAt > at) ? events : undefined;
    },
    { what: `the topics of ${variant.name} to reach the sentinel`, timeoutMs: 60_000, intervalMs: 250 },
  );
}

function observeLaggedHistory(context: StepContext<EvolveRun>, id: SubjectId, events: readonly ChangeEvent[], before: number): void {
  // The workload's changes: not the sentinels, whose only job was to say the topics caught up.
  const changes = events.filter(isStateChange).filter((event) => event.source.committedAt < before && !String(event.after?.["cart_id"] ?? event.before?.["cart_id"] ?? "").startsWith(SENTINEL_CART));
  const readable = readabilityOf(changes, (event) => readChangeEvent(event, "every"));
  const lines = changes.filter((event) => event.source.table === crudTableNames.cartItems);
  const images = lines.flatMap((event) => [event.before, event.after]).filter((image): image is Row => image !== null);
  const disagreeing = images.filter((image) => image["unit_price_cents"] != null && image["unit_price"] != null && !attemptRead(() => decodeCartLineAs("every", image)).ok);
  // What a consumer that knows only the new column makes of the after-images: a price, with no error, that is not the row's.
  const silentlyWrong = lines.filter((event) => {
    const after = event.after;
    if (after === null || after["unit_price_cents"] == null) return false;
    const read = attemptRead(() => decodeCartLineAs("decimal", after));
    return read.ok && read.value.unitPriceCents !== Number(after["unit_price_cents"]);
  });
  context.observe(id, OBS.laggedConnectorChangeEvents, changes.length);
  context.observe(id, OBS.laggedConnectorReadableByCurrentPercent, readablePercent(readable));
  context.observe(id, OBS.laggedConnectorImagesWrong, disagreeing.length);
  context.observe(id, OBS.laggedConnectorSilentlyWrongPrices, silentlyWrong.length);
  context.evidence(id, {
    id: `${id}-lagged-connector`,
    title: "Connector down during the migration: cart_items row images whose two price columns disagree",
    columns: ["op", "image", "cart_id", "sku", "unit_price_cents", "unit_price"],
    rows: lines
      .flatMap((event) => [["before", event.before] as const, ["after", event.after] as const].map(([which, image]) => ({ op: event.op, which, image })))
      .filter((entry): entry is { op: typeof entry.op; which: "before" | "after"; image: Row } => entry.image !== null && disagreeing.includes(entry.image))
      .slice(0, 10)
      .map(({ op, which, image }) => [op, which, String(image["cart_id"]), String(image["sku"]), Number(image["unit_price_cents"]), String(image["unit_price"])]),
  });
}
