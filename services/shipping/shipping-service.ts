import type { Pool } from "pg";
import { outboxConnectorConfig } from "../crud-cdc/outbox-connector.ts";
import { DEFAULT_DESIGNS } from "../designs/cart-designs.ts";
import { createCartUpcasters } from "../event-sourced/cart-upcasters.ts";
import { createKafkaMessageProducer } from "../event-sourced/checkout-kafka-producer.ts";
import { createCheckoutPublisher } from "../event-sourced/checkout-publisher.ts";
import type { JournalSubscription } from "../event-sourced/journal-subscription.ts";
import { createPostgresEventJournal } from "../event-sourced/postgres-event-journal.ts";
import { LabError, describeError } from "../platform/errors.ts";
import type { Logger } from "../platform/logger.ts";
import { createHttpConnectClient } from "../runtime/connect-client.ts";
import { waitForConnectorRunning } from "../runtime/lab-connector.ts";
import type { StackEndpoints } from "../runtime/runtime.ts";
import { createKafkaCheckoutFeed } from "./kafka-checkout-feed.ts";
import { migrateShippingSchema } from "./migrate-shipping-schema.ts";
import { startShippingConsumer } from "./shipping-consumer.ts";
import type { ShippingConsumer, ShippingCounts } from "./shipping-consumer.ts";

/**
 * What `ship` runs, and the names it runs under. Both designs' checkouts reach Kafka on their
 * own topic (design 1: its outbox table through a Debezium connector with the Outbox Event
 * Router; design 2: the journal's checkout publisher), and the shipping consumer records each
 * once in `<shippingSchema>.shipments`.
 */
export interface ShippingNames {
  crudSchema: string;
  journalSchema: string;
  /** Design 1's outbox connector, its slot, publication and topic prefix. */
  outboxConnector: string;
  outboxSlot: string;
  outboxPublication: string;
  outboxTopicPrefix: string;
  crudCheckoutTopic: string;
  esCheckoutTopic: string;
  shippingSchema: string;
  /** The shipping consumer's group (and the key of its progress rows). */
  groupId: string;
}

/** The names of the designs the CLI and `serve` use. */
export function defaultShippingNames(crudSchema: string = DEFAULT_DESIGNS.crudSchema, journalSchema: string = DEFAULT_DESIGNS.journalSchema): ShippingNames {
  return {
    crudSchema,
    journalSchema,
    outboxConnector: `outbox-${crudSchema}`,
    outboxSlot: `outbox_${crudSchema}_slot`,
    outboxPublication: `outbox_${crudSchema}_pub`,
    outboxTopicPrefix: `outbox_${crudSchema}`,
    crudCheckoutTopic: `${crudSchema}.checkouts`,
    esCheckoutTopic: `${journalSchema}.checkouts`,
    shippingSchema: "shipping",
    groupId: "shipping",
  };
}

export interface ShippingServiceDeps {
  endpoints: StackEndpoints;
  /** The pool of the database both designs live in (their schemas migrated). */
  pool: Pool;
  names: ShippingNames;
  logger: Logger;
  readyTimeoutMs: number;
  /** The journal publisher's longest pause without a NOTIFY. Default 1000 ms. */
  pollIntervalMs?: number;
}

export interface ShippingService {
  counts(): Promise<ShippingCounts>;
  /** Settles with the error that stopped the publisher or the consumer, or null after `stop()`. */
  readonly ended: Promise<LabError | null>;
  /** Stops the consumer and the publisher. The outbox connector stays registered, as the CDC one does. */
  stop(): Promise<void>;
}

/**
 * Starts the checkout pipeline and the shipping consumer. The outbox connector is registered
 * only when missing and then left running when the service stops: its slot is read all the
 * time, so it holds no WAL, and checkouts made while `ship` is down wait on the topic for the
 * consumer's committed offset.
 */
export async function startShippingService(deps: ShippingServiceDeps): Promise<ShippingService> {
  const { names, endpoints, logger } = deps;
  const connect = createHttpConnectClient(endpoints.connectUrl);
  if ((await connect.connectorStatus(names.outboxConnector)) === null) {
    await connect.putConnectorConfig(
      names.outboxConnector,
      outboxConnectorConfig({
        database: endpoints.connectorDatabase,
        schema: names.crudSchema,
        topicPrefix: names.outboxTopicPrefix,
        slotName: names.outboxSlot,
        publicationName: names.outboxPublication,
        checkoutTopic: names.crudCheckoutTopic,
      }),
    );
  }
  await waitForConnectorRunning(connect, names.outboxConnector, deps.readyTimeoutMs);

  const journal = createPostgresEventJournal({ pool: deps.pool, schema: names.journalSchema, upcasters: createCartUpcasters() });
  const producer = createKafkaMessageProducer({ brokers: endpoints.kafkaBrokers, logger });
  let publishing: JournalSubscription | null = null;
  let consumer: ShippingConsumer | null = null;
  const stop = async () => {
    const problems: string[] = [];
    await consumer?.stop().catch((error: unknown) => problems.push(`shipping consumer: ${describeError(error)}`));
    await publishing?.stop().catch((error: unknown) => problems.push(`checkout publisher: ${describeError(error)}`));
    await producer.disconnect().catch((error: unknown) => problems.push(`checkout producer: ${describeError(error)}`));
    if (problems.length > 0) throw new LabError("ComponentFailed", `shipping did not stop cleanly: ${problems.join("; ")}`);
  };
  try {
    const publisher = createCheckoutPublisher({ pool: deps.pool, schema: names.journalSchema, journal, producer, topic: names.esCheckoutTopic, logger });
    publishing = await publisher.start({ pollIntervalMs: deps.pollIntervalMs ?? 1_000 });
    await migrateShippingSchema(deps.pool, names.shippingSchema);
    consumer = await startShippingConsumer({
      pool: deps.pool,
      schema: names.shippingSchema,
      feed: createKafkaCheckoutFeed({ brokers: endpoints.kafkaBrokers, logger }),
      groupId: names.groupId,
      topics: [
        { design: "crud", topic: names.crudCheckoutTopic },
        { design: "es", topic: names.esCheckoutTopic },
      ],
      logger,
    });
  } catch (error) {
    await stop().catch((problem: unknown) => logger.warn({ err: describeError(problem) }, "shipping did not stop cleanly after failing to start"));
    throw error;
  }
  const running = consumer;
  const published = publishing;
  // Whichever stops first with an error ends the service; a clean stop() ends both with null.
  const ended = Promise.race([running.ended, published.ended.then((error) => (error === null ? running.ended : error))]);
  return { counts: () => running.counts(), ended, stop };
}
