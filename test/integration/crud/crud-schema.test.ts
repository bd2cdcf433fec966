import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { createCrudKnex } from "../../../services/crud-cdc/crud/create-crud-knex.ts";
import { migrateCrudSchema } from "../../../services/crud-cdc/crud/migrate-crud-schema.ts";
import { stack } from "../support/stack.ts";
import { uniqueName } from "../support/test-lab.ts";

let knex: Knex;
const schema = uniqueName("crud_schema");

beforeAll(() => {
  knex = createCrudKnex({ postgresUrl: stack().postgresUrl, maxConnections: 4 });
});

afterAll(async () => {
  await knex?.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await knex?.destroy();
});

async function replicaIdentities(): Promise<Record<string, string>> {
  const result = await knex.raw<{ rows: { relname: string; relreplident: string }[] }>(
    `SELECT c.relname, c.relreplident FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ? AND c.relkind = 'r' ORDER BY c.relname`,
    [schema],
  );
  return Object.fromEntries(result.rows.map((row) => [row.relname, row.relreplident]));
}

describe("the CRUD schema migration", () => {
  it("creates the tables once, even when two migrations run at the same time", async () => {
    await Promise.all([
      migrateCrudSchema(knex, { schema, replicaIdentity: "default" }),
      migrateCrudSchema(knex, { schema, replicaIdentity: "default" }),
    ]);
    await migrateCrudSchema(knex, { schema, replicaIdentity: "default" });
    expect(Object.keys(await replicaIdentities())).toEqual(["cart_discounts", "cart_items", "carts", "outbox"]);
  });

  it("sets REPLICA IDENTITY FULL on the state tables when asked, leaves the outbox DEFAULT, and can switch back", async () => {
    await migrateCrudSchema(knex, { schema, replicaIdentity: "full" });
    expect(await replicaIdentities()).toEqual({ cart_discounts: "f", cart_items: "f", carts: "f", outbox: "d" });
    await migrateCrudSchema(knex, { schema, replicaIdentity: "full" });
    expect(await replicaIdentities()).toEqual({ cart_discounts: "f", cart_items: "f", carts: "f", outbox: "d" });
    await migrateCrudSchema(knex, { schema, replicaIdentity: "default" });
    expect(await replicaIdentities()).toEqual({ cart_discounts: "d", cart_items: "d", carts: "d", outbox: "d" });
  });

  it("gives the outbox the Outbox Event Router's default columns and keeps money in bigint", async () => {
    const columns = await knex.raw<{ rows: { table_name: string; column_name: string; data_type: string }[] }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = ? ORDER BY table_name, ordinal_position`,
      [schema],
    );
    const byTable = (table: string) =>
      Object.fromEntries(columns.rows.filter((row) => row.table_name === table).map((row) => [row.column_name, row.data_type]));
    expect(byTable("outbox")).toEqual({
      id: "uuid",
      aggregatetype: "text",
      aggregateid: "text",
      type: "text",
      payload: "jsonb",
      created_at: "timestamp with time zone",
    });
    expect(byTable("carts")).toMatchObject({ total_cents: "bigint", status: "text" });
    expect(byTable("cart_items")).toMatchObject({ unit_price_cents: "bigint", quantity: "integer" });
    expect(byTable("cart_discounts")).toMatchObject({ amount_cents: "bigint", min_quantity: "integer" });
  });

  it("refuses a schema name it would have to escape", async () => {
    await expect(migrateCrudSchema(knex, { schema: 'x"; DROP TABLE y; --', replicaIdentity: "default" })).rejects.toMatchObject({
      code: "UsageInvalid",
    });
  });
});
