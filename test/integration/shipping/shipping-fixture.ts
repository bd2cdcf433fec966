import { randomUUID } from "node:crypto";
import { dropSlotWhenReleased, waitForSlotActive } from "../../../services/runtime/replication-slot.ts";
import { Kafka, Partitioners, logLevel } from "kafkajs";
import type { IHeaders } from "kafkajs";
import pg from "pg";
import type { CommandMetadata } from "../../../services/cart/index.ts";
import { outboxConnectorConfig } from "../../../services/crud-cdc/outbox-connector.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { waitForConnectorRunning } from "../../../services/runtime/lab-connector.ts";
import { migrateShippingSchema } from "../../../services/shipping/migrate-shipping-schema.ts";
import { connectClient, stack, withPostgres } from "../support/stack.ts";
import { uniqueName } from "../support/test-lab.ts";

/** Shipping's tables in a fresh schema of the lab database; `close` drops it. */
export interface ShippingFixture {
  schema: string;
  pool: pg.Pool;
  close(): Promise<void>;
}

export async function createShippingFixture(): Promise<ShippingFixture> {
  const schema = uniqueName("ship");
  const pool = new pg.Pool({ connectionString: stack().postgresUrl, max: 5 });
  await migrateShippingSchema(pool, schema);
  return {
    schema,
    pool,
    async close() {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    },
  };
}

/** A throw-away outbox connector on the shared stack: streaming when returned, gone after `remove`. */
export interface TestOutboxConnector {
  name: string;
  checkoutTopic: string;
  remove(): Promise<void>;
}

export async function registerOutboxConnector(schema: string): Promise<TestOutboxConnector> {
  const name = uniqueName("outbox");
  const checkoutTopic = `${name}.checkouts`;
  const slotName = `${name}_slot`;
  const publicationName = `${name}_pub`;
  const connect = connectClient();
  await connect.putConnectorConfig(
    name,
    outboxConnectorConfig({ database: stack().connectorDatabase, schema, topicPrefix: name, slotName, publicationName, checkoutTopic, dropSlotOnStop: true }),
  );
  await waitForConnectorRunning(connect, name, 60_000);
  // RUNNING comes before the slot streams; the tests mean to watch the streaming path.
  await waitForSlotActive(stack().postgresUrl, slotName, 60_000);

  return {
    name,
    checkoutTopic,
    async remove() {
      await connect.deleteConnector(name);
      await dropSlotWhenReleased(stack().postgresUrl, slotName, 30_000);
      await withPostgres((client) => client.query(`DROP PUBLICATION IF EXISTS ${publicationName}`));
    },
  };
}

/** A Kafka record as the wire carries it, for tests that copy or forge messages. */
export interface RawRecord {
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

function testKafka(): Kafka {
  return new Kafka({ clientId: "shipping-test", brokers: stack().kafkaBrokers, logLevel: logLevel.NOTHING });
}

/** Produces records exactly as given: the test's own producer, standing in for a second send. */
export async function produceRaw(topic: string, records: { key: string | null; value: string | null; headers?: Record<string, string> }[]): Promise<void> {
  const producer = testKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: records.map((record) => ({ key: record.key, value: record.value, headers: record.headers ?? {} })) });
  } finally {
    await producer.disconnect();
  }
}

/** The number of records a one-partition topic has ever had: its next offset. */
export async function topicEnd(topic: string): Promise<number> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return Number(offsets.find((partition) => partition.partition === 0)?.high ?? "0");
  } finally {
    await admin.disconnect();
  }
}

/** Every record of a one-partition topic up to its current end, read by a throw-away group. */
export async function readRaw(topic: string): Promise<RawRecord[]> {
  const kafka = testKafka();
  const end = BigInt(await topicEnd(topic));
  const records: RawRecord[] = [];
  if (end === 0n) return records;
  // A short long-poll: disconnect waits for the fetch in flight, which would otherwise idle 5 s at the end.
  const consumer = kafka.consumer({ groupId: `shipping-test-reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        records.push({ offset: message.offset, key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers: headerText(message.headers) });
      },
    });
    await waitFor(async () => (BigInt(records.at(-1)?.offset ?? "-1") >= end - 1n ? true : undefined), {
      what: `${topic} read to offset ${end - 1n}`,
      timeoutMs: 30_000,
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/** Moves a stopped group's committed offsets back to the start, as if its commits were lost. */
export async function rewindGroup(groupId: string, topic: string): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    await admin.resetOffsets({ groupId, topic, earliest: true });
  } finally {
    await admin.disconnect();
  }
}

function headerText(headers: IHeaders | undefined): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    text[name] = Array.isArray(value) ? value.map(String).join(",") : value.toString();
  }
  return text;
}

export function metadata(): CommandMetadata {
  return { actor: "alice", reason: null, correlationId: randomUUID(), decidedAt: new Date().toISOString() };
}

export { newCartId, seedCommands, seedItems } from "../../support/cart-commands.ts";
