import { Kafka } from "kafkajs";
import { subscribeToRecords } from "../platform/kafka-record-subscription.ts";
import { KAFKAJS_LOG_LEVEL, kafkajsLogCreator } from "../platform/kafkajs-logging.ts";
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
  const kafka = new Kafka({
    clientId: deps.clientId ?? "cdc-es-lab-shipping",
    brokers: deps.brokers,
    logLevel: KAFKAJS_LOG_LEVEL,
    logCreator: kafkajsLogCreator(deps.logger),
  });
  return {
    subscribe: (options, handler) => subscribe(kafka, options, handler, deps.logger),
  };
}

function subscribe(kafka: Kafka, options: CheckoutFeedOptions, handler: CheckoutHandler, logger: Logger): Promise<CheckoutSubscription> {
  return subscribeToRecords(kafka, { ...options, component: "checkout feed" }, (record, position) => handler(decodeCheckoutRecord(record, position)), logger);
}
