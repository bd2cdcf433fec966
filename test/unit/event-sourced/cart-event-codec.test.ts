import { describe, expect, it } from "vitest";
import type { CartEvent, CommandMetadata } from "../../../services/cart/index.ts";
import { decodeCartEvent, encodeCartEvent, recordedIntent } from "../../../services/event-sourced/cart-event-codec.ts";
import type { JsonObject, RecordedEvent } from "../../../services/event-sourced/event-journal.ts";
import { checkedOut, discountApplied, discountRevoked, itemAdded, itemRemoved, line, priceCorrected, discount } from "../cart/cart-samples.ts";

const metadata: CommandMetadata = { actor: "alice", reason: "customer asked", correlationId: "c-1", decidedAt: "2024-05-01T10:00:00.000Z" };

function recorded(type: string, data: JsonObject, schemaVersion: number, streamId = "cart-101"): RecordedEvent {
  return {
    globalPosition: "42",
    transactionId: "900",
    streamId,
    streamVersion: 3,
    eventId: "00000000-0000-4000-8000-000000000003",
    type,
    schemaVersion,
    storedSchemaVersion: schemaVersion,
    data,
    metadata: {},
    recordedAt: "2024-05-01T10:00:00.123456Z",
  };
}

describe("the cart event codec", () => {
  const events: CartEvent[] = [
    itemAdded("banana", 100, 2),
    itemRemoved("banana"),
    discountApplied("d1", "banana", 2, -10),
    discountRevoked("d1"),
    priceCorrected("banana", 90),
    checkedOut(390, [line("banana", 100, 2), line("mango", 200)], [discount("d1", "banana", 2, -10)]),
  ];

  it.each(events)("round-trips $type through the stored shape", (event) => {
    const stored = encodeCartEvent(event, metadata);
    expect(stored.type).toBe(event.type);
    expect(stored.data).not.toHaveProperty("type");
    expect(stored.metadata).toEqual(metadata);
    expect(decodeCartEvent(recorded(stored.type, stored.data, stored.schemaVersion ?? 1))).toEqual(event);
  });

  it("writes ItemAdded in its current shape, v2", () => {
    expect(encodeCartEvent(itemAdded("banana", 100), metadata).schemaVersion).toBe(2);
  });

  it("refuses an old shape that reached it without upcasting, naming where it sits", () => {
    const decode = () => decodeCartEvent(recorded("ItemAdded", { cartId: "101", sku: "a", name: "A", price: "1.00", quantity: 1 }, 1));
    expect(decode).toThrow(expect.objectContaining({ code: "DecodeFailed", details: expect.objectContaining({ streamId: "cart-101", globalPosition: "42" }) }));
  });

  it("refuses unknown fields, unknown types and an event of another cart", () => {
    const data = { cartId: "101", sku: "a" };
    expect(() => decodeCartEvent(recorded("ItemRemoved", { ...data, extra: 1 }, 1))).toThrow(/extra|Unrecognized/);
    expect(() => decodeCartEvent(recorded("ItemVanished", data, 1))).toThrow(/not a cart event type/);
    expect(() => decodeCartEvent(recorded("ItemRemoved", data, 1, "cart-102"))).toThrow(/does not belong/);
  });

  it("reads intent fields that are present and null for the rest", () => {
    expect(recordedIntent({ actor: "ops", decidedAt: 5 })).toEqual({ actor: "ops", reason: null, correlationId: null, decidedAt: null });
    expect(recordedIntent({ ...metadata })).toEqual(metadata);
  });
});
