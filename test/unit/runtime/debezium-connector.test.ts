import { describe, expect, it } from "vitest";
import { debeziumPostgresConfig } from "../../../services/runtime/debezium-connector.ts";

const base = {
  database: { host: "127.0.0.1", port: 5433, user: "postgres", password: "pw", dbname: "cart" },
  topicPrefix: "crud",
  slotName: "crud_slot",
  publicationName: "crud_pub",
  tables: ["public.carts", "public.cart_items"],
  snapshotMode: "initial" as const,
  tombstonesOnDelete: false,
  dropSlotOnStop: false,
};

describe("the Debezium PostgreSQL connector configuration", () => {
  it("uses pgoutput with a publication filtered to the captured tables", () => {
    const config = debeziumPostgresConfig({ ...base, messagePrefixes: [] });
    expect(config).toMatchObject({
      "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
      "plugin.name": "pgoutput",
      "publication.autocreate.mode": "filtered",
      "table.include.list": "public.carts,public.cart_items",
      "database.port": "5433",
      "topic.prefix": "crud",
      "slot.name": "crud_slot",
      "tombstones.on.delete": "false",
      "key.converter.schemas.enable": "false",
      "value.converter.schemas.enable": "false",
    });
    expect(config["message.prefix.exclude.list"]).toBe(".*");
    expect(config["message.prefix.include.list"]).toBeUndefined();
    // Every value is a string: Connect's REST API rejects numbers and booleans in a config map.
    expect(Object.values(config).every((value) => typeof value === "string")).toBe(true);
  });

  it("captures only the given message prefixes when intent travels as logical messages", () => {
    const config = debeziumPostgresConfig({ ...base, messagePrefixes: ["cart-intent"] });
    expect(config["message.prefix.include.list"]).toBe("cart-intent");
    expect(config["message.prefix.exclude.list"]).toBeUndefined();
  });
});
