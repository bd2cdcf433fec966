import type { Knex } from "knex";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CartLine } from "../../../services/cart/index.ts";
import { createCrudKnex } from "../../../services/crud-cdc/crud/create-crud-knex.ts";
import { createCrudCartHandler } from "../../../services/crud-cdc/crud/crud-command-handler.ts";
import { migrateCrudSchema } from "../../../services/crud-cdc/crud/migrate-crud-schema.ts";
import { createCartUpcasters } from "../../../services/event-sourced/cart-upcasters.ts";
import { cartStreamId } from "../../../services/event-sourced/cart-stream.ts";
import { createKafkaMessageProducer } from "../../../services/event-sourced/checkout-kafka-producer.ts";
import { createCheckoutPublisher } from "../../../services/event-sourced/checkout-publisher.ts";
import type { CheckoutPublisher, MessageProducer } from "../../../services/event-sourced/checkout-publisher.ts";
import type { EventJournal } from "../../../services/event-sourced/event-journal.ts";
import { createEventSourcedCartHandler } from "../../../services/event-sourced/event-sourced-cart-handler.ts";
import { compareCheckpoints, initialCheckpoint } from "../../../services/event-sourced/global-checkpoint.ts";
import type { JournalSubscription } from "../../../services/event-sourced/journal-subscription.ts";
import { migrateJournal } from "../../../services/event-sourced/migrate-journal.ts";
import { createPostgresEventJournal } from "../../../services/event-sourced/postgres-event-journal.ts";
import { createPostgresSnapshotStore } from "../../../services/event-sourced/postgres-snapshot-store.ts";
import type { SnapshotStore } from "../../../services/event-sourced/snapshot-store.ts";
import { createLogger } from "../../../services/platform/logger.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { createKafkaCheckoutFeed } from "../../../services/shipping/kafka-checkout-feed.ts";
import { readShipments, readShippingProgress } from "../../../services/shipping/read-shipments.ts";
import type { Shipment, ShipmentDesign } from "../../../services/shipping/shipment.ts";
import { startShippingConsumer } from "../../../services/shipping/shipping-consumer.ts";
import type { ShippingConsumer, ShippingCounts } from "../../../services/shipping/shipping-consumer.ts";
import { stack } from "../support/stack.ts";
import { uniqueName } from "../support/test-lab.ts";
import { createShippingFixture, metadata, newCartId, produceRaw, readRaw, registerOutboxConnector, rewindGroup, seedCommands, seedItems, topicEnd } from "./shipping-fixture.ts";
import type { ShippingFixture, TestOutboxConnector } from "./shipping-fixture.ts";

const logger = createLogger("warn");
const crudSchema = uniqueName("crud_ship");
const journalSchemaName = uniqueName("es_ship");
const esTopic = `${uniqueName("es")}.checkouts`;
const groupId = uniqueName("shipping");

let crudKnex: Knex;
let outbox: TestOutboxConnector;
let journalPool: pg.Pool;
let journal: EventJournal;
let snapshots: SnapshotStore;
let producer: MessageProducer;
let publisher: CheckoutPublisher;
let publishing: JournalSubscription;
let shipping: ShippingFixture;
let consumer: ShippingConsumer;

function startConsumer(): Promise<ShippingConsumer> {
  return startShippingConsumer({
    pool: shipping.pool,
    schema: shipping.schema,
    feed: createKafkaCheckoutFeed({ brokers: stack().kafkaBrokers, logger }),
    groupId,
    topics: [
      { design: "crud", topic: outbox.checkoutTopic },
      { design: "es", topic: esTopic },
    ],
    logger,
  });
}

beforeAll(async () => {
  crudKnex = createCrudKnex({ postgresUrl: stack().postgresUrl, maxConnections: 5 });
  await migrateCrudSchema(crudKnex, { schema: crudSchema, replicaIdentity: "default" });
  outbox = await registerOutboxConnector(crudSchema);

  journalPool = new pg.Pool({ connectionString: stack().postgresUrl, max: 10 });
  const client = await journalPool.connect();
  try {
    await migrateJournal(client, journalSchemaName);
  } finally {
    client.release();
  }
  journal = createPostgresEventJournal({ pool: journalPool, schema: journalSchemaName, upcasters: createCartUpcasters() });
  snapshots = createPostgresSnapshotStore({ pool: journalPool, schema: journalSchemaName });
  producer = createKafkaMessageProducer({ brokers: stack().kafkaBrokers, logger });
  publisher = createCheckoutPublisher({ pool: journalPool, schema: journalSchemaName, journal, producer, topic: esTopic, logger });
  publishing = await publisher.start({ pollIntervalMs: 200 });

  shipping = await createShippingFixture();
  consumer = await startConsumer();
});

afterAll(async () => {
  await consumer?.stop();
  await publishing?.stop();
  await producer?.disconnect();
  await outbox?.remove();
  await shipping?.close();
  await journalPool?.query(`DROP SCHEMA IF EXISTS "${journalSchemaName}" CASCADE`);
  await journalPool?.end();
  await crudKnex?.raw(`DROP SCHEMA IF EXISTS "${crudSchema}" CASCADE`);
  await crudKnex?.destroy();
});

async function checkOutCrud(commands: ReturnType<typeof seedCommands>): Promise<void> {
  const handler = createCrudCartHandler({ knex: crudKnex, schema: crudSchema, mode: "locked", intent: "off" });
  for (const command of commands) expect(await handler.handle(command, metadata())).toEqual({ ok: true });
}

async function checkOutEventSourced(commands: ReturnType<typeof seedCommands>): Promise<void> {
  const handler = createEventSourcedCartHandler({ journal, snapshots, logger });
  for (const command of commands) expect(await handler.handle(command, metadata())).toEqual({ ok: true });
}

async function outboxEventId(cartId: string): Promise<string> {
  const rows: { id: string }[] = await crudKnex.withSchema(crudSchema).from("outbox").select("id").where({ aggregateid: cartId });
  expect(rows).toHaveLength(1);
  return rows[0]?.id ?? "";
}

async function journalCheckoutId(cartId: string): Promise<string> {
  const events = await journal.readStream(cartStreamId(cartId));
  const checkouts = events.filter((event) => event.type === "CheckedOut");
  expect(checkouts).toHaveLength(1);
  return checkouts[0]?.eventId ?? "";
}

function shipmentsOf(cartId: string): Promise<Shipment[]> {
  return readShipments(shipping.pool, shipping.schema, { cartId });
}

async function shipped(cartId: string): Promise<Shipment> {
  const [shipment] = await waitFor(async () => {
    const rows = await shipmentsOf(cartId);
    return rows.length > 0 ? rows : undefined;
  }, { what: `the shipment of cart ${cartId}`, timeoutMs: 60_000 });
  if (shipment === undefined) throw new Error("unreachable: waitFor returned no rows");
  return shipment;
}

function bySku(items: readonly CartLine[]): CartLine[] {
  return [...items].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}

async function countsReaching(predicate: (counts: ShippingCounts) => boolean, what: string): Promise<ShippingCounts> {
  return waitFor(async () => {
    const counts = await consumer.counts();
    return predicate(counts) ? counts : undefined;
  }, { what, timeoutMs: 60_000 });
}

async function designCount(design: ShipmentDesign): Promise<number> {
  return (await readShipments(shipping.pool, shipping.schema, { design })).length;
}

describe("shipping the checkouts of both designs", () => {
  it("records a CRUD checkout once, as the outbox row went through Debezium's Outbox Event Router", async () => {
    const cartId = newCartId();
    await checkOutCrud(seedCommands(cartId));
    const shipment = await shipped(cartId);
    expect(shipment).toMatchObject({ design: "crud", eventId: await outboxEventId(cartId), cartId, totalCents: 390 });
    expect(bySku(shipment.items)).toEqual(seedItems);

    // No discounts: the router drops the empty array, and the checkout must still ship.
    const plainCartId = newCartId();
    await checkOutCrud([
      { type: "AddItem", cartId: plainCartId, sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 4 },
      { type: "CheckOut", cartId: plainCartId },
    ]);
    const plain = await shipped(plainCartId);
    expect(plain).toMatchObject({ design: "crud", eventId: await outboxEventId(plainCartId), cartId: plainCartId, totalCents: 300 });
    expect(plain.items).toEqual([{ sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 4 }]);
    expect(await shipmentsOf(cartId)).toHaveLength(1);
  });

  it("records an event-sourced checkout once, as the publisher sent it from the journal", async () => {
    const cartId = newCartId();
    await checkOutEventSourced(seedCommands(cartId));
    const shipment = await shipped(cartId);
    expect(shipment).toMatchObject({ design: "es", eventId: await journalCheckoutId(cartId), cartId, totalCents: 390 });
    expect(bySku(shipment.items)).toEqual(seedItems);
    const raw = (await readRaw(esTopic)).filter((record) => record.key === cartId);
    expect(raw).toHaveLength(1);
    expect(raw[0]?.headers).toEqual({ id: shipment.eventId, eventType: "CartCheckedOut" });
  });

  it("keeps one row and counts one duplicate when the same Debezium message is produced twice", async () => {
    const cartId = newCartId();
    await checkOutCrud(seedCommands(cartId));
    const shipment = await shipped(cartId);
    const before = await consumer.counts();
    const [original] = (await readRaw(outbox.checkoutTopic)).filter((record) => record.key === cartId);
    expect(original?.headers["id"]).toBe(shipment.eventId);
    await produceRaw(outbox.checkoutTopic, [{ key: original?.key ?? null, value: original?.value ?? null, headers: original?.headers ?? {} }]);
    const after = await countsReaching((counts) => counts.duplicates > before.duplicates, "the copy to be absorbed");
    expect(after.duplicates - before.duplicates).toBe(1);
    expect(after.recorded).toBe(before.recorded);
    expect(await shipmentsOf(cartId)).toEqual([shipment]);
    // Both copies are in Kafka: the second one was consumed, not lost.
    const copies = (await readRaw(outbox.checkoutTopic)).filter((record) => record.key === cartId);
    expect(copies.map((record) => record.value)).toEqual([original?.value, original?.value]);
  });

  it("re-sends from an older publisher checkpoint, and the consumer still keeps one row per checkout", async () => {
    const cartIds = [newCartId(), newCartId()];
    for (const cartId of cartIds) await checkOutEventSourced(seedCommands(cartId));
    for (const cartId of cartIds) await shipped(cartId);
    await publishing.stop();
    const reached = await publisher.checkpoint();
    const esShipments = await designCount("es");
    const before = await consumer.counts();
    const sentBefore = await topicEnd(esTopic);

    await publisher.resetCheckpoint(initialCheckpoint());
    publishing = await publisher.start({ pollIntervalMs: 200 });
    // Every checkout of the journal goes out a second time...
    await waitFor(async () => ((await topicEnd(esTopic)) >= sentBefore + esShipments ? true : undefined), {
      what: `${esShipments} checkouts re-sent`,
      timeoutMs: 60_000,
    });
    const after = await countsReaching((counts) => counts.duplicates >= before.duplicates + esShipments, "the re-sent checkouts to be absorbed");
    // ...and is absorbed: no new row, one duplicate each.
    expect(after.duplicates - before.duplicates).toBe(esShipments);
    expect(after.recorded).toBe(before.recorded);
    expect(await designCount("es")).toBe(esShipments);
    for (const cartId of cartIds) expect(await shipmentsOf(cartId)).toHaveLength(1);
    expect(compareCheckpoints(await publisher.checkpoint(), reached)).toBe(0);
    expect(await topicEnd(esTopic)).toBe(sentBefore + esShipments);
  });

  it("changes nothing when Kafka redelivers positions whose commits were lost", async () => {
    const cartId = newCartId();
    await checkOutEventSourced(seedCommands(cartId));
    await shipped(cartId);
    await consumer.stop();
    const before = await consumer.counts();
    const shipments = await readShipments(shipping.pool, shipping.schema);
    const progress = await readShippingProgress(shipping.pool, shipping.schema, groupId);
    const delivered = (await topicEnd(outbox.checkoutTopic)) + (await topicEnd(esTopic));
    expect(progress.map((row) => row.nextOffset).reduce((sum, next) => sum + Number(next), 0)).toBe(delivered);

    await rewindGroup(groupId, outbox.checkoutTopic);
    await rewindGroup(groupId, esTopic);
    consumer = await startConsumer();
    const after = await countsReaching((counts) => counts.redelivered >= delivered, `${delivered} positions redelivered`);
    expect(after).toEqual({ recorded: before.recorded, duplicates: before.duplicates, redelivered: delivered });
    expect(await readShipments(shipping.pool, shipping.schema)).toEqual(shipments);
    expect(await readShippingProgress(shipping.pool, shipping.schema, groupId)).toEqual(progress);
    expect(before.recorded).toBe(shipments.length);
  });
});
