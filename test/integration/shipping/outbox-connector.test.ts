import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { connectClient, withPostgres } from "../support/stack.ts";
import { uniqueName } from "../support/test-lab.ts";
import { readRaw, registerOutboxConnector } from "./shipping-fixture.ts";
import type { TestOutboxConnector } from "./shipping-fixture.ts";

const schema = uniqueName("outbox_only");
let connector: TestOutboxConnector;

beforeAll(async () => {
  await withPostgres(async (client) => {
    await client.query(`CREATE SCHEMA "${schema}"`);
    // The outbox's shape as design 1 creates it, and a table beside it the connector must not capture.
    await client.query(`CREATE TABLE "${schema}".outbox (id uuid PRIMARY KEY, aggregatetype text NOT NULL, aggregateid text NOT NULL, type text NOT NULL, payload jsonb NOT NULL)`);
    await client.query(`CREATE TABLE "${schema}".carts (cart_id text PRIMARY KEY)`);
  });
  connector = await registerOutboxConnector(schema);
});

afterAll(async () => {
  await connector?.remove();
  await withPostgres((client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
});

describe("the outbox connector", () => {
  it("routes rows of any aggregate type to the checkout topic, keyed by aggregateid, with id and eventType headers", async () => {
    const ids = [randomUUID(), randomUUID()];
    await withPostgres(async (client) => {
      await client.query(`INSERT INTO "${schema}".carts VALUES ('not-published')`);
      await client.query(`INSERT INTO "${schema}".outbox VALUES ($1, 'cart', 'c1', 'CartCheckedOut', $2)`, [ids[0], JSON.stringify({ n: 1, list: [] })]);
      await client.query(`INSERT INTO "${schema}".outbox VALUES ($1, 'other', 'c2', 'CartCheckedOut', $2)`, [ids[1], JSON.stringify({ n: 2, list: [1] })]);
      // The router drops deletes, and tombstones are off: a pruned outbox publishes nothing.
      await client.query(`DELETE FROM "${schema}".outbox WHERE id = $1`, [ids[0]]);
    });
    const records = await waitFor(async () => {
      const read = await readRaw(connector.checkoutTopic).catch(() => []);
      return read.length >= 2 ? read : undefined;
    }, { what: "two outbox messages", timeoutMs: 60_000 });
    expect(records.map((record) => ({ key: record.key, value: JSON.parse(record.value ?? "null"), id: record.headers["id"], eventType: record.headers["eventType"] }))).toEqual([
      // Debezium 3.6 drops the empty array while expanding the payload (debezium/dbz#921).
      { key: "c1", value: { n: 1 }, id: ids[0], eventType: "CartCheckedOut" },
      { key: "c2", value: { n: 2, list: [1] }, id: ids[1], eventType: "CartCheckedOut" },
    ]);
  });

  it("fails its task on an UPDATE of an outbox row instead of publishing a second event", async () => {
    const id = randomUUID();
    await withPostgres(async (client) => {
      await client.query(`INSERT INTO "${schema}".outbox VALUES ($1, 'cart', 'c3', 'CartCheckedOut', '{"n": 3}')`, [id]);
      await client.query(`UPDATE "${schema}".outbox SET payload = '{"n": 4}' WHERE id = $1`, [id]);
    });
    const failed = await waitFor(async () => {
      const status = await connectClient().connectorStatus(connector.name);
      return status?.tasks.find((task) => task.state === "FAILED");
    }, { what: `connector ${connector.name} to fail its task`, timeoutMs: 60_000 });
    expect(failed.trace).toContain("ConnectException");
    const records = await readRaw(connector.checkoutTopic);
    expect(records.filter((record) => record.headers["id"] === id).map((record) => JSON.parse(record.value ?? "null"))).toEqual([{ n: 3 }]);
  });
});
