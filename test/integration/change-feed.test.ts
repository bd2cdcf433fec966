import { randomUUID } from "node:crypto";
import { Kafka } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChangeEvent, MessageChangeEvent, RowChangeEvent } from "../../services/crud-cdc/change-event.ts";
import type { ChangeSubscription } from "../../services/crud-cdc/change-feed.ts";
import { createKafkaChangeFeed } from "../../services/crud-cdc/kafka-change-feed.ts";
import { createLogger } from "../../services/platform/logger.ts";
import { waitFor } from "../../services/platform/wait-for.ts";
import { stack, withPostgres } from "./support/stack.ts";
import { registerTestConnector } from "./support/test-connector.ts";
import type { TestConnector } from "./support/test-connector.ts";
import { uniqueName } from "./support/test-lab.ts";

const logger = createLogger("warn");
const full = uniqueName("cf_full");
const byDefault = uniqueName("cf_default");
const INTENT = "cdc-es-lab.test-intent";

let connector: TestConnector;
let subscription: ChangeSubscription;
const received: ChangeEvent[] = [];

const rowsOf = (table: string, id: string): RowChangeEvent[] =>
  received.filter((event): event is RowChangeEvent => event.kind === "row" && event.source.table === table && event.after?.["row_id"] !== undefined ? event.after["row_id"] === id || event.before?.["row_id"] === id : event.kind === "row" && event.source.table === table && event.before?.["row_id"] === id);

async function waitForRows(table: string, id: string, count: number): Promise<RowChangeEvent[]> {
  return waitFor(async () => (rowsOf(table, id).length >= count ? rowsOf(table, id) : undefined), { what: `${count} change events for ${table}/${id}`, timeoutMs: 30_000 });
}

beforeAll(async () => {
  await withPostgres(async (client) => {
    await client.query(`CREATE TABLE ${full} (row_id text PRIMARY KEY, quantity int NOT NULL, note text)`);
    await client.query(`ALTER TABLE ${full} REPLICA IDENTITY FULL`);
    await client.query(`CREATE TABLE ${byDefault} (row_id text PRIMARY KEY, quantity int NOT NULL, note text)`);
  });
  connector = await registerTestConnector([full, byDefault], { messagePrefixes: [INTENT] });
  const feed = createKafkaChangeFeed({ brokers: stack().kafkaBrokers, logger });
  subscription = await feed.subscribe(
    { groupId: uniqueName("cf_group"), topics: [connector.topicOf(full), connector.topicOf(byDefault), connector.messageTopic], fromBeginning: true },
    async (event) => {
      received.push(event);
    },
  );
});

afterAll(async () => {
  await subscription?.stop();
  await connector?.remove();
});

describe("the Debezium change feed", () => {
  it("delivers insert, update and delete with full before-images under REPLICA IDENTITY FULL", async () => {
    const id = randomUUID();
    await withPostgres(async (client) => {
      await client.query(`INSERT INTO ${full} VALUES ($1, 1, 'first')`, [id]);
      await client.query(`UPDATE ${full} SET quantity = 2, note = 'second' WHERE row_id = $1`, [id]);
      await client.query(`DELETE FROM ${full} WHERE row_id = $1`, [id]);
    });
    const [insert, update, remove] = await waitForRows(full, id, 3);
    expect(insert).toMatchObject({ op: "c", before: null, after: { row_id: id, quantity: 1, note: "first" } });
    expect(update).toMatchObject({ op: "u", before: { row_id: id, quantity: 1, note: "first" }, after: { row_id: id, quantity: 2, note: "second" } });
    expect(remove).toMatchObject({ op: "d", before: { row_id: id, quantity: 2, note: "second" }, after: null });
    const events = [insert, update, remove] as RowChangeEvent[];
    for (const event of events) {
      expect(event.source.txId).toEqual(expect.any(Number));
      expect(event.source.lsn).toBeGreaterThan(0);
      expect(event.source.snapshot).toBe(false);
      expect(event.emittedAt).toBeGreaterThanOrEqual(event.source.committedAt);
    }
    // Three autocommit statements: three transactions, in commit order.
    expect(events.map((event) => event.source.lsn)).toEqual([...events.map((event) => event.source.lsn)].sort((a, b) => a - b));
    expect(new Set(events.map((event) => event.source.lsn)).size).toBe(3);
    const txIds = events.map((event) => event.source.txId ?? 0);
    expect(txIds[0]).toBeLessThan(txIds[1] ?? 0);
    expect(txIds[1]).toBeLessThan(txIds[2] ?? 0);
  });

  it("carries no before-image for an update, and only the key for a delete, under REPLICA IDENTITY DEFAULT", async () => {
    const id = randomUUID();
    await withPostgres(async (client) => {
      await client.query(`INSERT INTO ${byDefault} VALUES ($1, 1, 'first')`, [id]);
      await client.query(`UPDATE ${byDefault} SET quantity = 5 WHERE row_id = $1`, [id]);
      await client.query(`DELETE FROM ${byDefault} WHERE row_id = $1`, [id]);
    });
    const [, update, remove] = await waitForRows(byDefault, id, 3);
    expect(update).toMatchObject({ op: "u", before: null, after: { row_id: id, quantity: 5 } });
    expect(remove?.op).toBe("d");
    expect(remove?.after).toBeNull();
    // Debezium fills the other columns of a key-only before-image with null (or their defaults).
    expect(remove?.before?.["row_id"]).toBe(id);
    expect(remove?.before?.["note"] ?? null).toBeNull();
  });

  it("gives the rows of one transaction one txId, and nothing for a rolled-back transaction", async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const rolledBack = randomUUID();
    const after = randomUUID();
    await withPostgres(async (client) => {
      await client.query("BEGIN");
      for (const id of ids) await client.query(`INSERT INTO ${full} VALUES ($1, 1, 'tx')`, [id]);
      await client.query("COMMIT");
      await client.query("BEGIN");
      await client.query(`INSERT INTO ${full} VALUES ($1, 1, 'never')`, [rolledBack]);
      await client.query("ROLLBACK");
      await client.query(`INSERT INTO ${full} VALUES ($1, 1, 'after')`, [after]);
    });
    const together = await Promise.all(ids.map(async (id) => (await waitForRows(full, id, 1))[0]));
    const marker = (await waitForRows(full, after, 1))[0];
    const txIds = new Set(together.map((event) => event?.source.txId));
    expect(txIds.size).toBe(1);
    expect(marker?.source.txId).not.toBe([...txIds][0]);
    // The marker was committed after the rollback, so anything from the rolled-back one would be here by now.
    expect(rowsOf(full, rolledBack)).toEqual([]);
  });

  it("delivers a transactional logical decoding message as op m with the writing transaction's id", async () => {
    const id = randomUUID();
    const intent = JSON.stringify({ actor: "alice", reason: "customer asked", rowId: id });
    await withPostgres(async (client) => {
      await client.query("BEGIN");
      await client.query(`INSERT INTO ${full} VALUES ($1, 1, 'with intent')`, [id]);
      await client.query("SELECT pg_logical_emit_message(true, $1, $2)", [INTENT, intent]);
      await client.query("COMMIT");
    });
    const [row] = await waitForRows(full, id, 1);
    const message = await waitFor(
      async () => received.find((event): event is MessageChangeEvent => event.kind === "message" && event.content === intent),
      { what: "the intent message", timeoutMs: 30_000 },
    );
    expect(message).toMatchObject({ op: "m", prefix: INTENT, content: intent });
    expect(message.source.txId).toBe(row?.source.txId);
  });

  it("reads a topic's whole history from offset 0 to its end, and nothing for a topic that does not exist", async () => {
    const id = randomUUID();
    await withPostgres((client) => client.query(`INSERT INTO ${full} VALUES ($1, 7, 'history')`, [id]));
    await waitForRows(full, id, 1);
    const feed = createKafkaChangeFeed({ brokers: stack().kafkaBrokers, logger });
    const history = await feed.readToEnd([connector.topicOf(full), uniqueName("never_written")]);
    const live = received.filter((event) => event.kind === "row" && event.source.table === full);
    expect(history.length).toBeGreaterThanOrEqual(live.length);
    expect(history.map((event) => event.position.offset)).toEqual(history.map((_event, index) => String(index)));
    expect(history.some((event) => event.kind === "row" && event.after?.["row_id"] === id)).toBe(true);
    expect(await feed.readToEnd([uniqueName("never_written")])).toEqual([]);
  });

  it("stops with an error naming topic, partition and offset when a record cannot be decoded", async () => {
    const topic = uniqueName("poison");
    const kafka = new Kafka({ clientId: "poison-writer", brokers: stack().kafkaBrokers, logLevel: 0 });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: "k", value: "this is not a Debezium envelope" }] });
    await producer.disconnect();
    const handled: ChangeEvent[] = [];
    const poisoned = await createKafkaChangeFeed({ brokers: stack().kafkaBrokers, logger: createLogger("fatal") }).subscribe(
      { groupId: uniqueName("poison_group"), topics: [topic], fromBeginning: true },
      async (event) => {
        handled.push(event);
      },
    );
    const error = await poisoned.ended;
    expect(error?.code).toBe("DecodeFailed");
    expect(error?.details).toMatchObject({ topic, partition: 0, offset: "0" });
    expect(error?.message).toContain(`${topic}[0]@0`);
    expect(handled).toEqual([]);
  });
});
