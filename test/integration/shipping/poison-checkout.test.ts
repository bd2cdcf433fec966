import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../services/platform/logger.ts";
import { createKafkaCheckoutFeed } from "../../../services/shipping/kafka-checkout-feed.ts";
import { readShipments, readShippingProgress } from "../../../services/shipping/read-shipments.ts";
import { startShippingConsumer } from "../../../services/shipping/shipping-consumer.ts";
import type { ShippingConsumer } from "../../../services/shipping/shipping-consumer.ts";
import { stack } from "../support/stack.ts";
import { uniqueName } from "../support/test-lab.ts";
import { createShippingFixture, produceRaw } from "./shipping-fixture.ts";
import type { ShippingFixture } from "./shipping-fixture.ts";

// The consumer logs the poison at error level; the test asserts on the error itself.
const logger = createLogger("fatal");
let shipping: ShippingFixture;

beforeAll(async () => {
  shipping = await createShippingFixture();
});

afterAll(async () => {
  await shipping?.close();
});

function checkout(cartId: string): { key: string; value: string; headers: Record<string, string> } {
  const eventId = randomUUID();
  return {
    key: cartId,
    value: JSON.stringify({
      eventId,
      cartId,
      items: [{ sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 1 }],
      discounts: [],
      totalCents: 100,
      checkedOutAt: new Date().toISOString(),
    }),
    headers: { id: eventId, eventType: "CartCheckedOut" },
  };
}

function start(topic: string, groupId: string): Promise<ShippingConsumer> {
  return startShippingConsumer({
    pool: shipping.pool,
    schema: shipping.schema,
    feed: createKafkaCheckoutFeed({ brokers: stack().kafkaBrokers, logger }),
    groupId,
    topics: [{ design: "es", topic }],
    logger,
  });
}

describe("a poison message on a checkout topic", () => {
  it("stops the consumer with an error naming its position, after recording what came before and nothing after", async () => {
    const topic = `${uniqueName("poison")}.checkouts`;
    const groupId = uniqueName("shipping_poison");
    const before = checkout("before");
    const after = checkout("after");
    await produceRaw(topic, [before, { key: "broken", value: "{\"cartId\": \"broken\", \"items\": \"not a list\"}", headers: { eventType: "CartCheckedOut" } }, after]);

    const consumer = await start(topic, groupId);
    const error = await consumer.ended;
    expect(error?.code).toBe("DecodeFailed");
    expect(error?.message).toContain(`${topic}[0]@1`);
    expect(error?.details).toMatchObject({ topic, partition: 0, offset: "1" });
    const shipments = await readShipments(shipping.pool, shipping.schema);
    expect(shipments.map((shipment) => shipment.cartId)).toEqual(["before"]);
    expect(await readShippingProgress(shipping.pool, shipping.schema, groupId)).toEqual([{ topic, partition: 0, nextOffset: "1", recorded: 1, duplicates: 0 }]);

    // Not skipped: the same group, started again, stops on the same record.
    const again = await start(topic, groupId);
    const repeated = await again.ended;
    expect(repeated?.details).toMatchObject({ topic, partition: 0, offset: "1" });
    expect((await readShipments(shipping.pool, shipping.schema)).map((shipment) => shipment.cartId)).toEqual(["before"]);
  });
});
