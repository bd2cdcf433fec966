import { describe, expect, it } from "vitest";
import { decodeCartEvent } from "../../../services/event-sourced/cart-event-codec.ts";
import { decimalToCents } from "../../../services/cart/money.ts";
import { createCartUpcasters, itemAddedV1ToV2 } from "../../../services/event-sourced/cart-upcasters.ts";
import type { RecordedEvent } from "../../../services/event-sourced/event-journal.ts";
import { createUpcasterRegistry } from "../../../services/event-sourced/upcasters.ts";
import type { Upcaster } from "../../../services/event-sourced/upcasters.ts";

function renameStep(eventType: string, fromSchemaVersion: number, from: string, to: string): Upcaster {
  return {
    eventType,
    fromSchemaVersion,
    upcast: ({ [from]: value = null, ...rest }) => ({ ...rest, [to]: value }),
  };
}

describe("the upcaster registry", () => {
  it("chains one step per version until no step is registered", () => {
    const registry = createUpcasterRegistry([renameStep("Thing", 2, "b", "c"), renameStep("Thing", 1, "a", "b")]);
    expect(registry.upcast({ type: "Thing", schemaVersion: 1, data: { a: 1, keep: true } })).toEqual({
      schemaVersion: 3,
      data: { c: 1, keep: true },
    });
    expect(registry.upcast({ type: "Thing", schemaVersion: 2, data: { b: 2 } })).toEqual({ schemaVersion: 3, data: { c: 2 } });
  });

  it("returns current shapes and other types untouched", () => {
    const registry = createUpcasterRegistry([renameStep("Thing", 1, "a", "b")]);
    const current = { type: "Thing", schemaVersion: 2, data: { b: 1 } };
    expect(registry.upcast(current)).toEqual({ schemaVersion: 2, data: { b: 1 } });
    expect(registry.upcast({ type: "Other", schemaVersion: 1, data: { a: 1 } })).toEqual({ schemaVersion: 1, data: { a: 1 } });
  });

  it("does not modify the data it is given", () => {
    const data = Object.freeze({ a: 1 });
    createUpcasterRegistry([renameStep("Thing", 1, "a", "b")]).upcast({ type: "Thing", schemaVersion: 1, data });
    expect(data).toEqual({ a: 1 });
  });

  it("refuses two upcasters for the same step", () => {
    expect(() => createUpcasterRegistry([renameStep("Thing", 1, "a", "b"), renameStep("Thing", 1, "a", "c")])).toThrow(
      expect.objectContaining({ code: "UsageInvalid" }),
    );
  });
});

describe("ItemAdded v1 (decimal price string) to v2 (unitPriceCents)", () => {
  const v1 = { cartId: "101", sku: "banana", name: "Banana", price: "1.50", quantity: 2 };

  it("replaces price by integer cents and keeps every other field", () => {
    expect(itemAddedV1ToV2.upcast(v1)).toEqual({ cartId: "101", sku: "banana", name: "Banana", unitPriceCents: 150, quantity: 2 });
  });

  it.each([
    ["0", 0],
    ["0.07", 7],
    ["0.29", 29],
    ["1.5", 150],
    ["12", 1200],
    ["19.99", 1999],
    ["1000000.00", 100_000_000],
  ])("converts %s exactly to %i cents", (price, cents) => {
    expect(decimalToCents(price)).toBe(cents);
  });

  it.each(["", "1.234", "-1.00", "1,50", "1e2", " 1.50", "1.", ".5"])("rejects the price %j", (price) => {
    expect(() => decimalToCents(price)).toThrow(expect.objectContaining({ code: "DecodeFailed" }));
  });

  it("rejects a v1 event without a string price", () => {
    expect(() => itemAddedV1ToV2.upcast({ ...v1, price: 150 })).toThrow(expect.objectContaining({ code: "DecodeFailed" }));
  });

  it("makes a stored v1 event decode as the current ItemAdded", () => {
    const upcast = createCartUpcasters().upcast({ type: "ItemAdded", schemaVersion: 1, data: v1 });
    const recorded: RecordedEvent = {
      globalPosition: "1",
      transactionId: "700",
      streamId: "cart-101",
      streamVersion: 1,
      eventId: "00000000-0000-4000-8000-000000000001",
      type: "ItemAdded",
      schemaVersion: upcast.schemaVersion,
      storedSchemaVersion: 1,
      data: upcast.data,
      metadata: {},
      recordedAt: "2024-01-01T00:00:00.000000Z",
    };
    expect(decodeCartEvent(recorded)).toEqual({
      type: "ItemAdded",
      cartId: "101",
      sku: "banana",
      name: "Banana",
      unitPriceCents: 150,
      quantity: 2,
    });
  });
});
