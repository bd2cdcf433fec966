import { createCheckoutPublisher } from "../../../services/event-sourced/checkout-publisher.ts";
import { createKafkaMessageProducer } from "../../../services/event-sourced/checkout-kafka-producer.ts";
import { cartIdOfStream } from "../../../services/event-sourced/cart-stream.ts";
import { initialCheckpoint } from "../../../services/event-sourced/global-checkpoint.ts";
import { journalSchema } from "../../../services/event-sourced/journal-schema.ts";
import { LabError } from "../../../services/platform/errors.ts";
import type { Logger } from "../../../services/platform/logger.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { createKafkaCheckoutFeed } from "../../../services/shipping/kafka-checkout-feed.ts";
import { migrateShippingSchema } from "../../../services/shipping/migrate-shipping-schema.ts";
import { readShipments } from "../../../services/shipping/read-shipments.ts";
import { startShippingConsumer } from "../../../services/shipping/shipping-consumer.ts";
import { sameView } from "../../kit/cart-record.ts";
import type { EsDriver } from "../../kit/drivers/subject-driver.ts";
import { readWholeJournal } from "../../kit/subject-journal.ts";
import type { RawTopicReader } from "./raw-topic-reader.ts";

/**
 * The journal's two delivery paths. Its checkout publisher is at least once (Kafka and
 * PostgreSQL share no transaction): one pass dies between the broker's acknowledgement and the
 * checkpoint write, and the next run sends that batch again for shipping to absorb by event id.
 * Its projection commits its checkpoint with its rows, so the only redelivery it can see is a
 * checkpoint moved back: every event is handed over again, and the rows must not change.
 */
export interface PublisherFigures {
  checkoutsExpected: number;
  recordsDelivered: number;
  duplicatesDelivered: number;
  /** The pass that died (1 = the first), and the checkouts it had sent. */
  crashedPass: number;
  resent: number;
}

export interface ShippingFigures {
  shipmentsRecorded: number;
  shippingDuplicatesAbsorbed: number;
}

export interface ProjectionFigures {
  cartsCompared: number;
  consumerRedeliveries: number;
  idempotentCartsWrong: number;
  projectionRowsChanged: number;
}

/** Passes the publisher needs for the whole journal: enough that the crash lands mid-stream. */
const PUBLISHER_PASSES = 4;

export function checkoutTopicOf(es: EsDriver): string {
  return `${es.names.journalSchema}_checkouts`;
}

export async function publishWithLostCheckpoint(es: EsDriver, deps: { brokers: string[]; logger: Logger; reader: RawTopicReader }): Promise<PublisherFigures> {
  const events = await readWholeJournal(es.journal);
  const checkouts = events.map((event, index) => ({ event, index })).filter(({ event }) => event.type === "CheckedOut" && cartIdOfStream(event.streamId) !== null);
  if (checkouts.length === 0) throw new LabError("ComponentFailed", `the workload checked no cart out in ${es.spec.id}: nothing to publish`);
  const batchSize = Math.max(1, Math.ceil(events.length / PUBLISHER_PASSES));
  // The pass that holds the middle checkout dies: passes read fixed-size slices of the same
  // global order, so the choice is the same for every run of a seed.
  const middle = checkouts[Math.floor(checkouts.length / 2)] as { index: number };
  const crashedPass = Math.floor(middle.index / batchSize) + 1;
  const resent = checkouts.filter(({ index }) => Math.floor(index / batchSize) + 1 === crashedPass).length;

  const topic = checkoutTopicOf(es);
  const producer = createKafkaMessageProducer({ brokers: deps.brokers, logger: deps.logger });
  const publisher = createCheckoutPublisher({ pool: es.pool, schema: es.names.journalSchema, journal: es.journal, producer, topic, logger: deps.logger, batchSize });
  try {
    for (let pass = 1; ; pass += 1) {
      const before = await publisher.checkpoint();
      if ((await publisher.runOnce()) === 0) break;
      // The crash: the batch is on Kafka, the checkpoint write never happened. Moving it back to
      // where this pass read it leaves exactly the row such a crash leaves; the loop goes on as
      // the restarted publisher would.
      if (pass === crashedPass) await publisher.resetCheckpoint(before);
    }
  } finally {
    await producer.disconnect();
  }
  const messages = await deps.reader.readToEnd(topic);
  const ids = new Set(messages.map((message) => message.headers["id"] ?? ""));
  return { checkoutsExpected: checkouts.length, recordsDelivered: messages.length, duplicatesDelivered: messages.length - ids.size, crashedPass, resent };
}

export async function shipCheckouts(es: EsDriver, deps: { brokers: string[]; logger: Logger; messages: number; timeoutMs: number }): Promise<ShippingFigures> {
  const schema = es.names.journalSchema;
  await migrateShippingSchema(es.pool, schema);
  const consumer = await startShippingConsumer({
    pool: es.pool,
    schema,
    feed: createKafkaCheckoutFeed({ brokers: deps.brokers, logger: deps.logger }),
    groupId: `${schema}_shipping`,
    topics: [{ design: "es", topic: checkoutTopicOf(es) }],
    logger: deps.logger,
  });
  try {
    const counts = await waitFor(
      async () => {
        const failure = await Promise.race([consumer.ended, Promise.resolve(undefined)]);
        if (failure !== undefined) throw failure ?? new LabError("ComponentFailed", "the shipping consumer stopped before the end of its topic");
        const now = await consumer.counts();
        return now.recorded + now.duplicates >= deps.messages ? now : undefined;
      },
      { what: `shipping to handle ${deps.messages} checkout messages`, timeoutMs: deps.timeoutMs, intervalMs: 100 },
    );
    return { shipmentsRecorded: (await readShipments(es.pool, schema, { design: "es" })).length, shippingDuplicatesAbsorbed: counts.duplicates };
  } finally {
    await consumer.stop();
  }
}

export async function redeliverToProjection(es: EsDriver, cartIds: readonly string[]): Promise<ProjectionFigures> {
  await es.projection.catchUp();
  const before = await summaryRows(es);
  // The only redelivery a transactional checkpoint allows: the checkpoint moved back (an
  // operator's replay, a second runner). Back to the start: every event is handed over again.
  await es.projection.resetCheckpoint(initialCheckpoint());
  const consumerRedeliveries = await es.projection.catchUp();
  const after = await summaryRows(es);
  const projectionRowsChanged = [...new Set([...before.keys(), ...after.keys()])].filter((cartId) => before.get(cartId) !== after.get(cartId)).length;
  let idempotentCartsWrong = 0;
  for (const cartId of cartIds) if (!sameView(await es.readModelView(cartId), await es.current(cartId))) idempotentCartsWrong += 1;
  return { cartsCompared: cartIds.length, consumerRedeliveries, idempotentCartsWrong, projectionRowsChanged };
}

/** Each cart_summaries row as text (version, view, and when it was last written): any rewrite shows. */
async function summaryRows(es: EsDriver): Promise<Map<string, string>> {
  const rows = await es.pool.query<{ cart_id: string; row: string }>(
    `SELECT cart_id, concat_ws('|', stream_version, view::text, updated_at::text) AS row FROM ${journalSchema(es.names.journalSchema).cartSummaries}`,
  );
  return new Map(rows.rows.map((row) => [row.cart_id, row.row] as const));
}
