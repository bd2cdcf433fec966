import type { Kafka } from "kafkajs";
import { subscribeToRecords } from "../platform/kafka-record-subscription.ts";
import { readRecordsToEnd } from "../platform/read-records-to-end.ts";
import { createKafkaClient } from "../platform/kafka-client.ts";
import type { Logger } from "../platform/logger.ts";
import { decodeChangeRecord, decodeTransactionRecord } from "./change-envelope.ts";
import type { ChangeEvent, TransactionBoundary } from "./change-event.ts";
import type { ChangeFeed, ChangeHandler, ChangeSubscription, ChangeSubscriptionOptions } from "./change-feed.ts";

export interface KafkaChangeFeedDeps {
  brokers: string[];
  logger: Logger;
  clientId?: string;
}

/** The `ChangeFeed` over kafkajs. kafkajs types stay in this file. */
export function createKafkaChangeFeed(deps: KafkaChangeFeedDeps): ChangeFeed {
  const kafka = createKafkaClient({ brokers: deps.brokers, logger: deps.logger, clientId: deps.clientId ?? "cdc-es-lab" });
  return {
    subscribe: (options, handler) => subscribe(kafka, options, handler, deps.logger),
    readToEnd: (topics) => readToEnd(kafka, topics, deps.logger),
  };
}

/**
 * A feed of change events and of Debezium's transaction boundaries (BEGIN/END) together, in the
 * order they arrive, for a consumer that applies whole transactions. The change feed proper
 * stays as it is: its consumers never see a boundary.
 */
export interface TransactionAwareSubscriptionOptions extends ChangeSubscriptionOptions {
  /** The topics among `topics` whose records are transaction boundaries (`CdcTopics.transactions`). */
  transactionTopics: string[];
}

export type TransactionAwareHandler = (item: ChangeEvent | TransactionBoundary) => Promise<void>;

export interface TransactionAwareFeed {
  subscribe(options: TransactionAwareSubscriptionOptions, handler: TransactionAwareHandler): Promise<ChangeSubscription>;
}

/** The transaction-aware feed over kafkajs; like the change feed, at least once, poison records stop it. */
export function createKafkaTransactionAwareFeed(deps: KafkaChangeFeedDeps): TransactionAwareFeed {
  const kafka = createKafkaClient({ brokers: deps.brokers, logger: deps.logger, clientId: deps.clientId ?? "cdc-es-lab" });
  return {
    subscribe: (options, handler) => {
      const boundaryTopics = new Set(options.transactionTopics);
      return subscribeToRecords(
        kafka,
        { groupId: options.groupId, topics: options.topics, fromBeginning: options.fromBeginning, component: "transaction-aware change feed" },
        (record, position) => handler(boundaryTopics.has(position.topic) ? decodeTransactionRecord(record, position) : decodeChangeRecord(record, position)),
        deps.logger,
      );
    },
  };
}

async function readToEnd(kafka: Kafka, topics: string[], logger: Logger): Promise<ChangeEvent[]> {
  // Decoded after reading: a record that is no change event throws naming its position, as in a subscription.
  return (await readRecordsToEnd(kafka, topics, logger, "change history")).map(({ record, position }) => decodeChangeRecord(record, position));
}

function subscribe(kafka: Kafka, options: ChangeSubscriptionOptions, handler: ChangeHandler, logger: Logger): Promise<ChangeSubscription> {
  return subscribeToRecords(kafka, { ...options, component: "change feed" }, (record, position) => handler(decodeChangeRecord(record, position)), logger);
}
