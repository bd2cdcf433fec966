import { debeziumPostgresConfig } from "../runtime/debezium-connector.ts";
import type { DebeziumPostgresOptions } from "../runtime/debezium-connector.ts";
import type { ConnectorDatabase } from "../runtime/runtime.ts";
import { crudTableNames, crudTables } from "./crud/crud-tables.ts";

export interface OutboxConnectorOptions {
  database: ConnectorDatabase;
  /** The CRUD schema whose `outbox` table is captured; nothing else in it is. */
  schema: string;
  /** Only names the connector's own internal topics: every outbox row is routed to `checkoutTopic`. */
  topicPrefix: string;
  slotName: string;
  publicationName: string;
  checkoutTopic: string;
  /** `initial` also publishes the rows already in the outbox when the connector first starts. Default `initial`. */
  snapshotMode?: DebeziumPostgresOptions["snapshotMode"];
  /** Throw-away connectors (tests) drop their slot when deleted. Default false. */
  dropSlotOnStop?: boolean;
}

/**
 * Design 1's checkout publication: a Debezium PostgreSQL connector on `<schema>.outbox` alone,
 * with the Outbox Event Router turning each inserted row into one message on `checkoutTopic`:
 * key = `aggregateid` (the cartId), value = the `payload` jsonb as a JSON object, headers `id`
 * (the row's id, the consumer's deduplication key) and `eventType` (the `type` column).
 */
export function outboxConnectorConfig(options: OutboxConnectorOptions): Record<string, string> {
  const outbox = `${crudTables(options.schema).schema}.${crudTableNames.outbox}`;
  return {
    ...debeziumPostgresConfig({
      database: options.database,
      topicPrefix: options.topicPrefix,
      slotName: options.slotName,
      publicationName: options.publicationName,
      tables: [outbox],
      snapshotMode: options.snapshotMode ?? "initial",
      // The router drops deletes anyway (an outbox may be pruned); no tombstone should reach consumers.
      tombstonesOnDelete: false,
      messagePrefixes: [],
      dropSlotOnStop: options.dropSlotOnStop ?? false,
    }),
    // The key is the bare cartId, as the event-sourced publisher writes it; JsonConverter would
    // quote it (`"101"`), and the two designs' messages would no longer look alike.
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    transforms: "outbox",
    "transforms.outbox.type": "io.debezium.transforms.outbox.EventRouter",
    // The default regex matches any aggregatetype, and a replacement without ${routedByValue}
    // sends every row to the one checkout topic, whatever its aggregatetype says.
    "transforms.outbox.route.topic.replacement": options.checkoutTopic,
    "transforms.outbox.table.fields.additional.placement": "type:header:eventType",
    // The value is then the payload object itself, not a JSON string inside a JSON string.
    // Debezium 3.6 drops an empty array while inferring the schema (debezium/dbz#921): a cart
    // without discounts arrives with no `discounts` field, which the shipping decoder restores.
    "transforms.outbox.table.expand.json.payload": "true",
    // The outbox is a queue: a row changed in place is a bug to stop on, not a second event to send.
    "transforms.outbox.table.op.invalid.behavior": "fatal",
  };
}
