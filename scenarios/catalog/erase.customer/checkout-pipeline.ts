import { outboxConnectorConfig } from "../../../services/crud-cdc/outbox-connector.ts";
import { createKafkaMessageProducer } from "../../../services/event-sourced/checkout-kafka-producer.ts";
import { createCheckoutPublisher } from "../../../services/event-sourced/checkout-publisher.ts";
import { describeError } from "../../../services/platform/errors.ts";
import { createHttpConnectClient } from "../../../services/runtime/connect-client.ts";
import { waitForConnectorRunning } from "../../../services/runtime/lab-connector.ts";
import { dropSlotWhenReleased, waitForSlotActive } from "../../../services/runtime/replication-slot.ts";
import { createKafkaCheckoutFeed } from "../../../services/shipping/kafka-checkout-feed.ts";
import { migrateShippingSchema } from "../../../services/shipping/migrate-shipping-schema.ts";
import type { ShipmentDesign } from "../../../services/shipping/shipment.ts";
import { startShippingConsumer } from "../../../services/shipping/shipping-consumer.ts";
import type { ShippingConsumer } from "../../../services/shipping/shipping-consumer.ts";
import { dropSchema } from "../../kit/drivers/drop-schema.ts";
import { byDesign } from "../../kit/drivers/subject-driver.ts";
import type { CdcDriver, CrudDriver, EsDriver, SubjectDriver } from "../../kit/drivers/subject-driver.ts";
import type { RunContext } from "../../model/scenario.ts";

const SLOT_RELEASE_TIMEOUT_MS = 30_000;

/**
 * Where a subject's checkouts go after its own store: the checkout topic (design 1 through its
 * outbox and Debezium's Outbox Event Router, design 2 from its journal by the checkout
 * publisher) and the shipping service that keeps the address. Both are places personal data
 * reaches, so the erasure scan must look there too.
 */
export interface CheckoutPipeline {
  checkoutTopic: string;
  shippingSchema: string;
  shipmentDesign: ShipmentDesign;
  /** Makes the journal's checkouts go out (design 2); design 1's outbox streams by itself. */
  publish(): Promise<void>;
  consumer: ShippingConsumer;
  /** Stops the consumer, removes the connector or producer and shipping's schema; resolves with what could not be removed. */
  close(): Promise<string[]>;
}

interface Publication {
  checkoutTopic: string;
  /** A name of this subject's own, from which the pipeline's other names are made. */
  base: string;
  shipmentDesign: ShipmentDesign;
  publish(): Promise<void>;
  close(): Promise<string[]>;
}

export async function openCheckoutPipeline(run: RunContext, driver: SubjectDriver): Promise<CheckoutPipeline> {
  const publication = await byDesign<Promise<Publication>>(driver, {
    es: (journal) => journalPublication(run, journal),
    crud: (tables) => outboxPublication(run, tables),
    cdc: (tables) => outboxPublication(run, tables),
  });
  const shippingSchema = `${publication.base}_ship`;
  let consumer: ShippingConsumer;
  try {
    await migrateShippingSchema(driver.pool, shippingSchema);
    consumer = await startShippingConsumer({
      pool: driver.pool,
      schema: shippingSchema,
      feed: createKafkaCheckoutFeed({ brokers: run.endpoints.kafkaBrokers, logger: run.logger }),
      groupId: `${publication.base}_shipping`,
      topics: [{ design: publication.shipmentDesign, topic: publication.checkoutTopic }],
      logger: run.logger,
    });
  } catch (error) {
    await publication.close();
    await dropSchema(driver.pool, shippingSchema);
    throw error;
  }
  return {
    checkoutTopic: publication.checkoutTopic,
    shippingSchema,
    shipmentDesign: publication.shipmentDesign,
    publish: () => publication.publish(),
    consumer,
    async close() {
      const problems: string[] = [];
      await consumer.stop().catch((error: unknown) => problems.push(`shipping consumer: ${describeError(error)}`));
      problems.push(...(await publication.close()), ...(await dropSchema(driver.pool, shippingSchema)));
      return problems;
    },
  };
}

async function journalPublication(run: RunContext, journal: EsDriver): Promise<Publication> {
  const base = journal.names.journalSchema;
  const checkoutTopic = `${base}.checkouts`;
  const producer = createKafkaMessageProducer({ brokers: run.endpoints.kafkaBrokers, logger: run.logger });
  const publisher = createCheckoutPublisher({ pool: journal.pool, schema: base, journal: journal.journal, producer, topic: checkoutTopic, logger: run.logger });
  return {
    checkoutTopic,
    base,
    shipmentDesign: "es",
    publish: async () => {
      await publisher.catchUp();
    },
    async close() {
      return producer.disconnect().then(
        () => [],
        (error: unknown) => [`checkout producer: ${describeError(error)}`],
      );
    },
  };
}

async function outboxPublication(run: RunContext, tables: CrudDriver | CdcDriver): Promise<Publication> {
  const base = tables.names.crudSchema;
  const name = `${base}_outbox`;
  const checkoutTopic = `${name}.checkouts`;
  const slot = `${name}_slot`;
  const publication = `${name}_pub`;
  const connect = createHttpConnectClient(run.endpoints.connectUrl);
  const close = async (): Promise<string[]> => {
    const problems: string[] = [];
    await connect.deleteConnector(name).catch((error: unknown) => problems.push(`connector ${name}: ${describeError(error)}`));
    await dropSlotWhenReleased(run.endpoints.postgresUrl, slot, SLOT_RELEASE_TIMEOUT_MS).catch((error: unknown) => problems.push(`slot ${slot}: ${describeError(error)}`));
    await tables.pool.query(`DROP PUBLICATION IF EXISTS ${publication}`).catch((error: unknown) => problems.push(`publication ${publication}: ${describeError(error)}`));
    return problems;
  };
  try {
    await connect.putConnectorConfig(
      name,
      outboxConnectorConfig({ database: run.endpoints.connectorDatabase, schema: base, topicPrefix: name, slotName: slot, publicationName: publication, checkoutTopic }),
    );
    await waitForConnectorRunning(connect, name, run.readyTimeoutMs);
    // Streaming, not only RUNNING: the checkouts the workload writes next must come through the slot.
    await waitForSlotActive(run.endpoints.postgresUrl, slot, run.readyTimeoutMs);
  } catch (error) {
    await close();
    throw error;
  }
  return { checkoutTopic, base, shipmentDesign: "crud", publish: () => Promise.resolve(), close };
}
