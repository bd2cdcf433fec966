import type { Kafka } from "kafkajs";
import { subscribeToRecords } from "../platform/kafka-record-subscription.ts";
import { createKafkaClient } from "../platform/kafka-client.ts";
import type { Logger } from "../platform/logger.ts";
import type { CheckoutFeed, CheckoutFeedOptions, CheckoutHandler, CheckoutSubscription } from "./checkout-feed.ts";
import { decodeCheckoutRecord } from "./checkout-message.ts";

export interface KafkaCheckoutFeedDeps {
  brokers: string[];
  logger: Logger;
  clientId?: string;
}

/** The `CheckoutFeed` over kafkajs. kafkajs types stay in this file. */
export function createKafkaCheckoutFeed(deps: KafkaCheckoutFeedDeps): CheckoutFeed {
  const kafka = createKafkaClient({ brokers: deps.brokers, logger: deps.logger, clientId: deps.clientId ?? "cdc-es-lab-shipping" });
  return {
    subscribe: (options, handler) => subscribe(kafka, options, handler, deps.logger),
  };
}

function subscribe(kafka: Kafka, options: CheckoutFeedOptions, handler: CheckoutHandler, logger: Logger): Promise<CheckoutSubscription> {
  return subscribeToRecords(kafka, { ...options, component: "checkout feed" }, (record, position) => handler(decodeCheckoutRecord(record, position)), logger);
}
