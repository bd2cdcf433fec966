import type { Pool } from "pg";
import { LabError } from "../platform/errors.ts";
import type { Logger } from "../platform/logger.ts";
import type { CheckoutFeed } from "./checkout-feed.ts";
import { readShippingProgress } from "./read-shipments.ts";
import { recordShipment } from "./record-shipment.ts";
import type { ShipmentDesign } from "./shipment.ts";
import { shippingTables } from "./shipping-tables.ts";

/** A checkout topic and the design whose checkouts it carries. */
export interface CheckoutTopic {
  design: ShipmentDesign;
  topic: string;
}

export interface ShippingConsumerDeps {
  pool: Pool;
  /** The schema `migrateShippingSchema` created. */
  schema: string;
  feed: CheckoutFeed;
  /** The Kafka consumer group, and the key of this consumer's progress rows. */
  groupId: string;
  topics: CheckoutTopic[];
  logger: Logger;
  /** Where a group with no committed position starts. Default true. */
  fromBeginning?: boolean;
}

export interface ShippingCounts {
  /** Checkouts recorded by this consumer (group), ever: durable, from the progress rows. */
  recorded: number;
  /** Second copies of recorded checkouts absorbed by this consumer (group), ever: durable. */
  duplicates: number;
  /** Positions handed over again after a lost Kafka commit, since this instance started. */
  redelivered: number;
}

export interface ShippingConsumer {
  readonly groupId: string;
  counts(): Promise<ShippingCounts>;
  stop(): Promise<void>;
  /** Settles with the error that stopped the consumer (a poison message names its position), or null after `stop()`. */
  readonly ended: Promise<LabError | null>;
}

/**
 * The shipping service's consumer: reads the checkout topics of both designs and records each
 * checkout once in `shipments`, however many times it arrives.
 */
export async function startShippingConsumer(deps: ShippingConsumerDeps): Promise<ShippingConsumer> {
  const tables = shippingTables(deps.schema);
  const designOf = new Map<string, ShipmentDesign>();
  for (const { design, topic } of deps.topics) {
    const known = designOf.get(topic);
    if (known !== undefined && known !== design) {
      throw new LabError("UsageInvalid", `topic ${topic} cannot carry the checkouts of both ${known} and ${design}`, { details: { topic } });
    }
    designOf.set(topic, design);
  }
  if (designOf.size === 0) throw new LabError("UsageInvalid", "the shipping consumer needs at least one checkout topic");
  const log = deps.logger.child({ component: "shipping-consumer", groupId: deps.groupId });
  let redelivered = 0;

  const subscription = await deps.feed.subscribe(
    // A group's first start reads each topic from its oldest record: checkouts published before
    // shipping ever ran still have to ship.
    { groupId: deps.groupId, topics: [...designOf.keys()], fromBeginning: deps.fromBeginning ?? true },
    async (message) => {
      const design = designOf.get(message.position.topic);
      if (design === undefined) {
        throw new LabError("ComponentFailed", `message from unsubscribed topic ${message.position.topic}`, { details: { ...message.position } });
      }
      const outcome = await recordShipment(deps.pool, tables, deps.groupId, design, message);
      if (outcome === "redelivered") redelivered += 1;
      log.debug({ ...message.position, design, cartId: message.cartId, eventId: message.eventId, outcome }, "checkout handled");
    },
  );

  return {
    groupId: deps.groupId,
    async counts() {
      const progress = await readShippingProgress(deps.pool, deps.schema, deps.groupId);
      return {
        recorded: progress.reduce((sum, row) => sum + row.recorded, 0),
        duplicates: progress.reduce((sum, row) => sum + row.duplicates, 0),
        redelivered,
      };
    },
    stop: () => subscription.stop(),
    ended: subscription.ended,
  };
}
