import { readCrudCart } from "../../../services/crud-cdc/crud/read-crud-state.ts";
import { buildCdcHistory, cdcAudit, cdcStateAsOf } from "../../../services/crud-cdc/cdc-history.ts";
import { cdcResourceNames, cdcTopics, ensureCdcConnector } from "../../../services/crud-cdc/cdc-variant.ts";
import type { CdcVariant } from "../../../services/crud-cdc/cdc-variant.ts";
import { createKafkaChangeFeed } from "../../../services/crud-cdc/kafka-change-feed.ts";
import { describeError } from "../../../services/platform/errors.ts";
import { createHttpConnectClient } from "../../../services/runtime/connect-client.ts";
import { dropSlotWhenReleased, waitForSlotActive } from "../../../services/runtime/replication-slot.ts";
import type { CdcSubjectSpec } from "../../model/subjects.ts";
import { openCrudParts } from "./crud-driver.ts";
import type { DriverContext } from "./driver-context.ts";
import type { CdcDriver } from "./subject-driver.ts";

const SLOT_RELEASE_TIMEOUT_MS = 30_000;

/**
 * The CRUD tables of one subject streamed by a Debezium connector of its own (its own slot,
 * publication and topics), configured by the spec's CDC knobs. An `early` connector streams
 * before the first command; a `late` one waits for `startConnector()`.
 */
export async function openCdcDriver(context: DriverContext, spec: CdcSubjectSpec, names: { subject: string; crudSchema: string }): Promise<CdcDriver> {
  const { cdc } = spec;
  const variant: CdcVariant = {
    name: names.subject,
    schema: names.crudSchema,
    replicaIdentity: cdc.replicaIdentity,
    intent: cdc.intent,
    retention: cdc.retention,
    transactionMetadata: cdc.transactionMetadata,
    polling: cdc.polling,
  };
  const resources = cdcResourceNames(variant);
  const topics = cdcTopics(variant);
  const connect = createHttpConnectClient(context.endpoints.connectUrl);
  const parts = await openCrudParts(context, { crudSchema: names.crudSchema, mode: spec.crud.mode, replicaIdentity: cdc.replicaIdentity, intent: cdc.intent });
  const changeFeed = createKafkaChangeFeed({ brokers: context.endpoints.kafkaBrokers, logger: context.logger });

  async function startConnector(): Promise<void> {
    await ensureCdcConnector(connect, variant, context.endpoints.connectorDatabase, context.readyTimeoutMs);
    // RUNNING comes before the slot streams; a change written in between would still arrive,
    // but a scenario timing the stream must start from a streaming connector.
    await waitForSlotActive(context.endpoints.postgresUrl, resources.slot, context.readyTimeoutMs);
  }
  // Kafka is this design's only history: every question about the past replays it from the start.
  const readChangeEvents = () => changeFeed.readToEnd(topics.all);
  const history = async () => buildCdcHistory(await readChangeEvents());
  const transactions = async (cartId: string) => (await history()).get(cartId) ?? [];

  if (cdc.start === "early") {
    try {
      await startConnector();
    } catch (error) {
      await parts.dispose();
      throw error;
    }
  }

  return {
    design: "cdc",
    spec,
    names: { subject: names.subject, crudSchema: names.crudSchema, ...resources },
    pool: parts.pool,
    knex: parts.knex,
    topics,
    changeFeed,
    startConnector,
    readChangeEvents,
    history,
    transactions,
    apply: (command, metadata) => parts.handler.applyRaw(command, metadata),
    current: (cartId) => readCrudCart(parts.knex, names.crudSchema, cartId),
    stateAt: async (cartId, asOf) => cdcStateAsOf(await transactions(cartId), asOf),
    audit: async (cartId) => cdcAudit(await transactions(cartId)),
    async dispose() {
      // The topics stay until the run ends (later steps may still read them); the run then
      // removes everything that carries its marker (runner/run-resources.ts).
      const problems: string[] = [];
      await connect.deleteConnector(resources.connector).catch((error: unknown) => problems.push(`connector ${resources.connector}: ${describeError(error)}`));
      await dropSlotWhenReleased(context.endpoints.postgresUrl, resources.slot, SLOT_RELEASE_TIMEOUT_MS).catch((error: unknown) => problems.push(`slot ${resources.slot}: ${describeError(error)}`));
      await parts.pool.query(`DROP PUBLICATION IF EXISTS ${resources.publication}`).catch((error: unknown) => problems.push(`publication ${resources.publication}: ${describeError(error)}`));
      return [...problems, ...(await parts.dispose())];
    },
  };
}
