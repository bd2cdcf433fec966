import { LabError } from "../platform/errors.ts";
import type { ConnectClient } from "../runtime/connect-client.ts";
import { debeziumPostgresConfig } from "../runtime/debezium-connector.ts";
import { waitForConnectorRunning } from "../runtime/lab-connector.ts";
import type { ConnectorDatabase } from "../runtime/runtime.ts";
import { cartIntentPrefix } from "./crud/cart-intent.ts";
import { crudStateTables } from "./crud/crud-tables.ts";
import type { ReplicaIdentity } from "./crud/migrate-crud-schema.ts";

/**
 * One way of running design 1: which CRUD schema is captured, with which REPLICA IDENTITY,
 * whether the writer's intent travels as logical messages, and how long Kafka keeps the topics.
 * Each variant has its own connector, slot, publication and topics, so variants never mix.
 */
export interface CdcVariant {
  /** Lowercase letters, digits and underscores: it names the slot, the connector and the topics. */
  name: string;
  schema: string;
  replicaIdentity: ReplicaIdentity;
  intent: boolean;
  /**
   * `full` keeps every record; `compacted` keeps only the latest record per key, as Debezium's
   * topics allow; `short` deletes records older than SHORT_RETENTION_MS (a retention policy
   * shorter than the question asked of the history).
   */
  retention: "full" | "compacted" | "short";
  /**
   * Debezium's transaction metadata: a BEGIN/END record per transaction on `<prefix>.transaction`
   * and a `transaction` block in every change event, so a consumer can apply a whole transaction
   * at once instead of table by table. Off unless asked for (Debezium's default).
   */
  transactionMetadata?: boolean;
  /** `default`: Debezium's and Kafka's defaults; `tuned`: the latency settings of TUNED_POLLING. */
  polling?: "default" | "tuned";
}

/**
 * What a team chasing latency sets: Debezium hands a batch to Connect after waiting at most
 * `poll.interval.ms` (default 500 ms) for more events, and the producer may wait `linger.ms`
 * (Kafka 4's default is 5 ms) to fill a batch. Both waits are what a change sits in before it
 * reaches the topic when the load is light.
 */
export const TUNED_POLLING = {
  "poll.interval.ms": "10",
  "max.batch.size": "2048",
  "producer.override.linger.ms": "0",
} as const;

/** How long a `short` retention variant's topics keep a record. */
export const SHORT_RETENTION_MS = 10_000;

const namePattern = /^[a-z][a-z0-9_]{0,40}$/;

export function requireVariantName(name: string): string {
  if (!namePattern.test(name)) throw new LabError("UsageInvalid", `CDC variant name ${JSON.stringify(name)} must match ${namePattern}`);
  return name;
}

export interface CdcTopics {
  carts: string;
  cartItems: string;
  cartDiscounts: string;
  /** Where Debezium writes the logical decoding messages (op m) of the variant. */
  messages: string;
  /** Debezium's transaction metadata topic (BEGIN/END records); written only when the variant asks for it. */
  transactions: string;
  /** Every topic of change events (rows and messages); not `transactions`, whose records are not change events. */
  all: string[];
}

/** What a variant creates outside its schema: Kafka Connect's connector, PostgreSQL's slot and publication. */
export interface CdcResourceNames {
  connector: string;
  slot: string;
  publication: string;
  topicPrefix: string;
}

export function cdcResourceNames(variant: Pick<CdcVariant, "name">): CdcResourceNames {
  const name = requireVariantName(variant.name);
  return { connector: `cdc-${name}`, slot: `cdc_${name}_slot`, publication: `cdc_${name}_pub`, topicPrefix: `cdc_${name}` };
}

export function cdcConnectorName(variant: CdcVariant): string {
  return cdcResourceNames(variant).connector;
}

export function cdcTopics(variant: CdcVariant): CdcTopics {
  const prefix = cdcResourceNames(variant).topicPrefix;
  const [carts, cartItems, cartDiscounts] = crudStateTables.map((table) => `${prefix}.${variant.schema}.${table}`) as [string, string, string];
  const messages = `${prefix}.message`;
  return { carts, cartItems, cartDiscounts, messages, transactions: `${prefix}.transaction`, all: [carts, cartItems, cartDiscounts, messages] };
}

export function cdcConnectorConfig(variant: CdcVariant, database: ConnectorDatabase): Record<string, string> {
  const names = cdcResourceNames(variant);
  const config = debeziumPostgresConfig({
    database,
    topicPrefix: names.topicPrefix,
    slotName: names.slot,
    publicationName: names.publication,
    tables: crudStateTables.map((table) => `${variant.schema}.${table}`),
    snapshotMode: "initial",
    // A compacted topic forgets a deleted key only after its tombstone.
    tombstonesOnDelete: variant.retention === "compacted",
    messagePrefixes: variant.intent ? [cartIntentPrefix] : [],
    dropSlotOnStop: false,
  });
  if (variant.transactionMetadata === true) config["provide.transaction.metadata"] = "true";
  if (variant.polling === "tuned") Object.assign(config, TUNED_POLLING);
  if (variant.retention === "short") {
    Object.assign(config, {
      "topic.creation.default.cleanup.policy": "delete",
      "topic.creation.default.retention.ms": String(SHORT_RETENTION_MS),
      "topic.creation.default.segment.ms": "1000",
    });
  }
  if (variant.retention === "compacted") {
    // Topics the connector creates are compacted, with small segments so compaction really runs
    // within a lab's minutes rather than at the default's weekly segment roll.
    Object.assign(config, {
      "topic.creation.default.cleanup.policy": "compact",
      "topic.creation.default.segment.ms": "1000",
      "topic.creation.default.min.cleanable.dirty.ratio": "0.01",
      "topic.creation.default.delete.retention.ms": "1000",
    });
  }
  return config;
}

/** Registers the variant's connector (if it is not already) and waits for it to stream. */
export async function ensureCdcConnector(connect: ConnectClient, variant: CdcVariant, database: ConnectorDatabase, timeoutMs: number): Promise<void> {
  const name = cdcConnectorName(variant);
  if ((await connect.connectorStatus(name)) === null) await connect.putConnectorConfig(name, cdcConnectorConfig(variant, database));
  await waitForConnectorRunning(connect, name, timeoutMs);
}
