import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CartCommand, CommandMetadata } from "../../../services/cart/index.ts";
import { cdcTopics } from "../../../services/crud-cdc/cdc-variant.ts";
import { eraseCrudCustomer } from "../../../services/crud-cdc/crud/erase-crud-customer.ts";
import type { CartDesigns } from "../../../services/designs/cart-designs.ts";
import { createCartSummaryProjection } from "../../../services/event-sourced/cart-summary-projection.ts";
import { createCartUpcasters } from "../../../services/event-sourced/cart-upcasters.ts";
import { cartStreamId } from "../../../services/event-sourced/cart-stream.ts";
import { createKafkaMessageProducer } from "../../../services/event-sourced/checkout-kafka-producer.ts";
import { createCheckoutPublisher } from "../../../services/event-sourced/checkout-publisher.ts";
import { eraseJournalCustomer } from "../../../services/event-sourced/erase-journal-customer.ts";
import type { EventJournal } from "../../../services/event-sourced/event-journal.ts";
import { initialCheckpoint } from "../../../services/event-sourced/global-checkpoint.ts";
import { createEventSourcedCartHandler } from "../../../services/event-sourced/event-sourced-cart-handler.ts";
import type { PersonalDataMode } from "../../../services/event-sourced/journal-personal-data.ts";
import { loadCart } from "../../../services/event-sourced/load-cart.ts";
import { migrateJournal } from "../../../services/event-sourced/migrate-journal.ts";
import { createPostgresEventJournal } from "../../../services/event-sourced/postgres-event-journal.ts";
import { createPostgresSnapshotStore } from "../../../services/event-sourced/postgres-snapshot-store.ts";
import type { SnapshotStore } from "../../../services/event-sourced/snapshot-store.ts";
import { stateAt } from "../../../services/event-sourced/state-at.ts";
import { createLogger } from "../../../services/platform/logger.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { eraseShippingCustomer } from "../../../services/shipping/erase-shipping-customer.ts";
import { createKafkaCheckoutFeed } from "../../../services/shipping/kafka-checkout-feed.ts";
import { startShippingConsumer } from "../../../services/shipping/shipping-consumer.ts";
import type { ShippingConsumer } from "../../../services/shipping/shipping-consumer.ts";
import { openTestDesigns } from "../designs/designs-fixture.ts";
import { createShippingFixture, readRaw, registerOutboxConnector } from "../shipping/shipping-fixture.ts";
import type { ShippingFixture, TestOutboxConnector } from "../shipping/shipping-fixture.ts";
import { stack } from "../support/stack.ts";
import { uniqueName } from "../support/test-lab.ts";

const logger = createLogger("warn");
const meta = (): CommandMetadata => ({ actor: "erase-test", reason: null, correlationId: uniqueName("corr"), decidedAt: new Date().toISOString() });

/** A customer whose e-mail and address are strings found nowhere else, so a text search cannot mistake them. */
function customer(tag: string) {
  const marker = uniqueName(`erase_${tag}`);
  return { customerId: `cust-${marker}`.replaceAll("_", "-"), email: `${marker}@example.test`, name: `Name ${marker}`, shippingAddress: `1 ${marker} Street` };
}

function purchase(cartId: string, who: ReturnType<typeof customer>, checkOut: boolean): CartCommand[] {
  return [
    { type: "AddItem", cartId, sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 2 },
    { type: "AttachCustomer", cartId, ...who },
    { type: "ApplyDiscount", cartId, discountId: "d1", sku: "banana", minQuantity: 2, amountCents: -10 },
    ...(checkOut ? [{ type: "CheckOut", cartId } as const] : []),
  ];
}

/** Every row of every table of a schema whose JSON text contains `marker`, by table. */
async function rowsHolding(pool: pg.Pool, schema: string, marker: string): Promise<Record<string, number>> {
  const tables = await pool.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`, [schema]);
  const found: Record<string, number> = {};
  for (const { table_name: table } of tables.rows) {
    const result = await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}"."${table}" AS t WHERE row_to_json(t)::text LIKE '%' || $1 || '%'`, [marker]);
    const n = Number(result.rows[0]?.n ?? 0);
    if (n > 0) found[table] = n;
  }
  return found;
}

describe("design 1: CRUD tables, their Debezium topics, the outbox and shipping", () => {
  let test: Awaited<ReturnType<typeof openTestDesigns>>;
  let designs: CartDesigns;
  let outbox: TestOutboxConnector;
  let shipping: ShippingFixture;
  let consumer: ShippingConsumer;

  beforeAll(async () => {
    test = await openTestDesigns({ intent: false });
    designs = test.designs;
    outbox = await registerOutboxConnector(test.variant.schema);
    shipping = await createShippingFixture();
    consumer = await startShippingConsumer({
      pool: shipping.pool,
      schema: shipping.schema,
      feed: createKafkaCheckoutFeed({ brokers: stack().kafkaBrokers, logger }),
      groupId: uniqueName("erase_ship"),
      topics: [{ design: "crud", topic: outbox.checkoutTopic }],
      logger,
    });
  });

  afterAll(async () => {
    await consumer?.stop();
    await outbox?.remove();
    await shipping?.close();
    await test?.dispose();
  });

  it("clears the customer from the tables, the outbox and shipping in one erase; the topics keep what they copied", async () => {
    const ada = customer("ada");
    const bob = customer("bob");
    const sold = uniqueName("c");
    const open = uniqueName("c");
    const other = uniqueName("c");
    for (const command of [...purchase(sold, ada, true), ...purchase(open, ada, false), ...purchase(other, bob, true)]) {
      expect(await designs.handle("crud", command, meta())).toEqual({ ok: true });
    }
    const schema = test.variant.schema;
    const topics = cdcTopics(test.variant);
    const checkoutHolds = async (marker: string) => (await readRaw(outbox.checkoutTopic)).filter((record) => (record.value ?? "").includes(marker)).length;
    const cdcHolds = async (marker: string) => (await designs.changeFeed.readToEnd(topics.all)).filter((event) => JSON.stringify(event).includes(marker)).length;

    // Before: the marker is where the design puts it (so the checks below can fail).
    expect(await rowsHolding(designs.pool, schema, ada.email)).toEqual({ carts: 2, outbox: 1 });
    await waitFor(async () => ((await rowsHolding(shipping.pool, shipping.schema, ada.shippingAddress))["shipments"] === 1 ? true : undefined), {
      what: "the shipment with ada's address",
      timeoutMs: 60_000,
    });
    await waitFor(async () => ((await cdcHolds(ada.email)) >= 2 ? true : undefined), { what: "ada's e-mail on the carts topic", timeoutMs: 60_000 });
    expect(await checkoutHolds(ada.shippingAddress)).toBe(1);
    const before = { sold: await designs.state("crud", sold, null), open: await designs.state("crud", open, null) };

    const erased = await eraseCrudCustomer(designs.knex, schema, ada.customerId, new Date().toISOString());
    expect(erased).toEqual({ carts: 2, outboxRows: 1 });
    expect(await eraseShippingCustomer(shipping.pool, shipping.schema, ada.customerId)).toBe(1);

    // After: nothing of ada in the tables or the shipping store; bob untouched.
    expect(await rowsHolding(designs.pool, schema, ada.email)).toEqual({});
    expect(await rowsHolding(designs.pool, schema, ada.shippingAddress)).toEqual({});
    expect(await rowsHolding(shipping.pool, shipping.schema, ada.shippingAddress)).toEqual({});
    expect(await rowsHolding(designs.pool, schema, bob.email)).toEqual({ carts: 1, outbox: 1 });
    // The totals still read, from the tables and from the CDC history once the erase has streamed.
    expect(await designs.state("crud", sold, null)).toEqual(before.sold);
    expect(await designs.state("crud", open, null)).toEqual(before.open);
    await waitFor(async () => {
      const events = await designs.changeFeed.readToEnd([topics.carts]);
      return events.some((event) => event.kind === "row" && event.after?.["cart_id"] === open && event.after["customer_id"] === ada.customerId && event.after["customer_email"] === null) ? true : undefined;
    }, { what: "the erase on the carts topic", timeoutMs: 60_000 });
    expect(await designs.state("cdc", sold, null)).toEqual(before.sold);
    expect(await designs.state("cdc", sold, { version: 3 })).toMatchObject({ status: "open", totalCents: 190 });
    // Kafka kept every copy Debezium made before the erase, and the checkout message: measured, not hoped.
    expect(await cdcHolds(ada.email)).toBeGreaterThanOrEqual(2);
    expect(await checkoutHolds(ada.shippingAddress)).toBe(1);
    // The outbox delete reached no consumer: the router ignores deletes.
    expect((await readRaw(outbox.checkoutTopic)).filter((record) => (record.value ?? "").includes(bob.email))).toHaveLength(1);
  });
});

describe.each<PersonalDataMode>(["encrypted", "plaintext"])("design 2: the %s journal", (mode) => {
  const schema = uniqueName(`erase_${mode}`);
  const topic = `${schema}.checkouts`;
  let pool: pg.Pool;
  let journal: EventJournal;
  let snapshots: SnapshotStore;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: stack().postgresUrl, max: 5 });
    const client = await pool.connect();
    try {
      await migrateJournal(client, schema);
    } finally {
      client.release();
    }
    journal = createPostgresEventJournal({ pool, schema, upcasters: createCartUpcasters(), personalData: mode });
    snapshots = createPostgresSnapshotStore({ pool, schema, personalData: mode });
  });

  afterAll(async () => {
    await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool?.end();
  });

  it("forgets the customer by what the mode allows; totals and time travel still work", async () => {
    const ada = customer("ada");
    const bob = customer("bob");
    const sold = uniqueName("c");
    const open = uniqueName("c");
    const other = uniqueName("c");
    // A snapshot at every version, so snapshots certainly hold the customer.
    const handler = createEventSourcedCartHandler({ journal, snapshots, logger, snapshotEvery: 1 });
    for (const command of [...purchase(sold, ada, true), ...purchase(open, ada, false), ...purchase(other, bob, true)]) {
      expect(await handler.handle(command, meta())).toEqual({ ok: true });
    }
    const projection = createCartSummaryProjection({ pool, schema, journal });
    await projection.catchUp();
    const producer = createKafkaMessageProducer({ brokers: stack().kafkaBrokers, logger });
    try {
      await createCheckoutPublisher({ pool, schema, journal, producer, topic, logger }).catchUp();
    } finally {
      await producer.disconnect();
    }

    const atCheckout = (await journal.readStream(cartStreamId(sold))).at(-1)?.recordedAt ?? "";
    const before = {
      sold: (await loadCart({ journal, snapshots }, sold)).state,
      open: (await loadCart({ journal, snapshots }, open)).state,
      soldAtVersion2: await stateAt({ journal, snapshots }, sold, { version: 2 }),
    };
    expect(before.sold.status === "checked_out" && before.sold.customer?.email).toBe(ada.email);
    // What is stored: the encrypted journal holds no clear e-mail anywhere; the plaintext one in events and snapshots.
    const stored = await rowsHolding(pool, schema, ada.email);
    expect(stored).toEqual(mode === "encrypted" ? {} : { events: 3, snapshots: 2 });
    // The checkout message on Kafka carries the address in clear in both modes: shipping needs it.
    const checkoutHolds = async () => (await readRaw(topic)).filter((record) => (record.value ?? "").includes(ada.shippingAddress)).length;
    expect(await checkoutHolds()).toBe(1);

    const erased = await eraseJournalCustomer(pool, schema, ada.customerId);
    expect(erased).toEqual(mode === "encrypted" ? { keys: 1, plaintextSnapshots: 0 } : { keys: 0, plaintextSnapshots: 2 });

    expect(await rowsHolding(pool, schema, ada.email)).toEqual(mode === "encrypted" ? {} : { events: 3 });
    const after = (await loadCart({ journal, snapshots }, sold)).state;
    const read = (await journal.readStream(cartStreamId(sold))).find((event) => event.type === "CustomerAttached");
    if (mode === "encrypted") {
      expect(read?.data["customer"]).toEqual({ customerId: ada.customerId, email: null, name: null, shippingAddress: null, erased: true });
      expect(after.status === "checked_out" && after.customer).toEqual({ customerId: ada.customerId, email: null, name: null, shippingAddress: null, erased: true });
    } else {
      expect(read?.data["customer"]).toEqual(ada);
    }
    // History, totals and time travel of the erased customer's carts.
    expect(toView(after)).toEqual(toView(before.sold));
    expect(toView((await loadCart({ journal, snapshots }, open)).state)).toEqual(toView(before.open));
    expect(await stateAt({ journal, snapshots }, sold, { version: 2 })).toEqual(before.soldAtVersion2);
    expect(await stateAt({ journal, snapshots }, sold, { at: atCheckout })).toMatchObject({ status: "checked_out", totalCents: 190 });
    // The other customer is untouched.
    const bobs = (await loadCart({ journal, snapshots }, other)).state;
    expect(bobs.status === "checked_out" && bobs.customer?.email).toBe(bob.email);
    // A rebuilt projection still reads every event, and holds no personal data either way.
    await projection.resetCheckpoint(initialCheckpoint());
    await pool.query(`DELETE FROM "${schema}".cart_summaries`);
    await projection.catchUp();
    expect((await pool.query(`SELECT total_cents::int AS total FROM "${schema}".cart_summaries WHERE cart_id = $1`, [sold])).rows).toEqual([{ total: 190 }]);
    // And the Kafka copy is out of the journal's reach.
    expect(await checkoutHolds()).toBe(1);
  });
});

function toView(state: Awaited<ReturnType<typeof loadCart>>["state"]) {
  if (state.status === "empty") return null;
  const rest = { ...state };
  delete rest.customer;
  return rest;
}
