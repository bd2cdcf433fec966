import type { ConnectorDatabase } from "./runtime.ts";

/**
 * The Debezium PostgreSQL connector's configuration, as this lab uses it. Every connector the
 * lab registers (the sentinel, the cart design's variants, tests) is built here so the choices
 * below are made once.
 */
export interface DebeziumPostgresOptions {
  database: ConnectorDatabase;
  /** Never changes for a connector's life: it names the topics `<prefix>.<schema>.<table>`. */
  topicPrefix: string;
  slotName: string;
  publicationName: string;
  /** `schema.table` names; the publication is filtered to them, so they must exist first. */
  tables: string[];
  /** `initial` snapshots existing rows (op `r`) before streaming; `no_data` streams only. */
  snapshotMode: "initial" | "no_data" | "when_needed" | "always";
  /** Emit a null-value record after each delete, so compacted topics can forget the key. */
  tombstonesOnDelete: boolean;
  /** Logical decoding message prefixes to capture as op `m`; none captured when empty. */
  messagePrefixes: string[];
  /** Throw-away connectors (tests) drop their slot when deleted, so WAL is not kept for them. */
  dropSlotOnStop: boolean;
}

export function debeziumPostgresConfig(options: DebeziumPostgresOptions): Record<string, string> {
  const config: Record<string, string> = {
    "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
    "tasks.max": "1",
    // The default, decoderbufs, needs a server extension; pgoutput ships with PostgreSQL.
    "plugin.name": "pgoutput",
    "database.hostname": options.database.host,
    "database.port": String(options.database.port),
    "database.user": options.database.user,
    "database.password": options.database.password,
    "database.dbname": options.database.dbname,
    "topic.prefix": options.topicPrefix,
    "slot.name": options.slotName,
    "slot.drop.on.stop": String(options.dropSlotOnStop),
    "publication.name": options.publicationName,
    "publication.autocreate.mode": "filtered",
    "table.include.list": options.tables.join(","),
    "snapshot.mode": options.snapshotMode,
    "tombstones.on.delete": String(options.tombstonesOnDelete),
    // JSON numbers, not base64 BigDecimal bytes; money is integer cents anyway.
    "decimal.handling.mode": "string",
    // Epoch milliseconds for timestamps: one unit across the envelope and the rows.
    "time.precision.mode": "connect",
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "key.converter.schemas.enable": "false",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter.schemas.enable": "false",
    // Topics the connector creates get one partition and replication factor 1 unless the
    // broker says otherwise; per-key order is what consumers rely on.
    "topic.creation.default.replication.factor": "-1",
    "topic.creation.default.partitions": "-1",
  };
  if (options.messagePrefixes.length > 0) {
    config["message.prefix.include.list"] = options.messagePrefixes.join(",");
  } else {
    // Nothing else in the database emits messages the lab wants; make the absence explicit.
    config["message.prefix.exclude.list"] = ".*";
  }
  return config;
}
