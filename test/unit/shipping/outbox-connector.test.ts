import { describe, expect, it } from "vitest";
import { outboxConnectorConfig } from "../../../services/crud-cdc/outbox-connector.ts";

const options = {
  database: { host: "127.0.0.1", port: 5433, user: "postgres", password: "pw", dbname: "cart" },
  schema: "crud_main",
  topicPrefix: "crud-outbox",
  slotName: "crud_outbox_slot",
  publicationName: "crud_outbox_pub",
  checkoutTopic: "cart.checkouts",
};

describe("the outbox connector configuration", () => {
  it("captures only the schema's outbox and routes every row through the Outbox Event Router to the checkout topic", () => {
    const config = outboxConnectorConfig(options);
    expect(config).toMatchObject({
      "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
      "table.include.list": "crud_main.outbox",
      "slot.name": "crud_outbox_slot",
      "publication.name": "crud_outbox_pub",
      "snapshot.mode": "initial",
      "slot.drop.on.stop": "false",
      "tombstones.on.delete": "false",
      "key.converter": "org.apache.kafka.connect.storage.StringConverter",
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      "value.converter.schemas.enable": "false",
      transforms: "outbox",
      "transforms.outbox.type": "io.debezium.transforms.outbox.EventRouter",
      "transforms.outbox.route.topic.replacement": "cart.checkouts",
      "transforms.outbox.table.fields.additional.placement": "type:header:eventType",
      "transforms.outbox.table.expand.json.payload": "true",
      "transforms.outbox.table.op.invalid.behavior": "fatal",
    });
    // The router's defaults already take the key from aggregateid and the id header from id.
    expect(config["transforms.outbox.table.field.event.key"]).toBeUndefined();
    expect(config["transforms.outbox.route.topic.regex"]).toBeUndefined();
    expect(Object.values(config).every((value) => typeof value === "string")).toBe(true);
  });

  it("lets a throw-away connector drop its slot and stream only new rows", () => {
    const config = outboxConnectorConfig({ ...options, dropSlotOnStop: true, snapshotMode: "no_data" });
    expect(config["slot.drop.on.stop"]).toBe("true");
    expect(config["snapshot.mode"]).toBe("no_data");
  });

  it("refuses a schema name that would need quoting in table.include.list", () => {
    expect(() => outboxConnectorConfig({ ...options, schema: "crud.main" })).toThrow(/must match/);
  });
});
