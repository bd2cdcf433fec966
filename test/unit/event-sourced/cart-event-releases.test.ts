import { describe, expect, it } from "vitest";
import type { CartEvent, CommandMetadata } from "../../../services/cart/index.ts";
import {
  centsRelease,
  createCartEventCodec,
  currentRelease,
  decimalPriceRelease,
  decodeCartEvent,
  encodeCartEvent,
} from "../../../services/event-sourced/cart-event-codec.ts";
import { centsToDecimal, decimalToCents } from "../../../services/cart/money.ts";
import {
  createCartUpcasters,
  createDecimalPriceUpcasters,
  itemAddedV2ToV3,
  priceCorrectedV1ToV2,
} from "../../../services/event-sourced/cart-upcasters.ts";
import type { JsonObject, RecordedEvent } from "../../../services/event-sourced/event-journal.ts";
import { itemAdded, itemRemoved, priceCorrected } from "../cart/cart-samples.ts";

const metadata: CommandMetadata = { actor: "alice", reason: null, correlationId: "c-1", decidedAt: "2024-05-01T10:00:00.000Z" };

function recorded(type: string, data: JsonObject, schemaVersion: number, storedSchemaVersion = schemaVersion): RecordedEvent {
  return {
    globalPosition: "7",
    transactionId: "900",
    streamId: "cart-101",
    streamVersion: 2,
    eventId: "00000000-0000-4000-8000-000000000002",
    type,
    schemaVersion,
    storedSchemaVersion,
    data,
    metadata: {},
    recordedAt: "2024-05-01T10:00:00.123456Z",
  };
}

describe("cents and decimals", () => {
  it.each([
    [0, "0.00"],
    [5, "0.05"],
    [29, "0.29"],
    [150, "1.50"],
    [100_000_000, "1000000.00"],
  ])("writes %i cents as %s", (cents, decimal) => {
    expect(centsToDecimal(cents)).toBe(decimal);
    expect(decimalToCents(decimal)).toBe(cents);
  });

  it("round-trips every price of the first ten thousand cents exactly", () => {
    for (let cents = 0; cents < 10_000; cents += 1) expect(decimalToCents(centsToDecimal(cents))).toBe(cents);
  });

  it.each([-1, 1.5, Number.NaN])("refuses %d cents", (cents) => {
    expect(() => centsToDecimal(cents)).toThrow(expect.objectContaining({ code: "DecodeFailed" }));
  });
});

describe("the upcasters to the decimal price", () => {
  it("renames and retypes ItemAdded v2 and PriceCorrected v1, keeping every other field", () => {
    expect(itemAddedV2ToV3.upcast({ cartId: "101", sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 2 })).toEqual({ cartId: "101", sku: "kiwi", name: "Kiwi", unitPrice: "0.75", quantity: 2 });
    expect(priceCorrectedV1ToV2.upcast({ cartId: "101", sku: "kiwi", unitPriceCents: 70 })).toEqual({ cartId: "101", sku: "kiwi", unitPrice: "0.70" });
  });

  it("refuses a stored event without its cents", () => {
    expect(() => itemAddedV2ToV3.upcast({ cartId: "101", sku: "kiwi", unitPrice: "0.75" })).toThrow(expect.objectContaining({ code: "DecodeFailed" }));
  });

  it("takes ItemAdded v1 through v2 to v3 one step at a time, and leaves today's registry at v2", () => {
    const v1 = { cartId: "101", sku: "banana", name: "Banana", price: "0.29", quantity: 3 };
    expect(createDecimalPriceUpcasters().upcast({ type: "ItemAdded", schemaVersion: 1, data: v1 })).toEqual({
      schemaVersion: 3,
      data: { cartId: "101", sku: "banana", name: "Banana", unitPrice: "0.29", quantity: 3 },
    });
    expect(createCartUpcasters().upcast({ type: "ItemAdded", schemaVersion: 1, data: v1 })).toMatchObject({ schemaVersion: 2, data: { unitPriceCents: 29 } });
    expect(createDecimalPriceUpcasters().upcast({ type: "PriceCorrected", schemaVersion: 1, data: { cartId: "101", sku: "a", unitPriceCents: 1 } })).toEqual({
      schemaVersion: 2,
      data: { cartId: "101", sku: "a", unitPrice: "0.01" },
    });
  });
});

describe("releases of the cart event codec", () => {
  const decimal = createCartEventCodec(decimalPriceRelease);
  const cents = createCartEventCodec(centsRelease);
  const current = createCartEventCodec(currentRelease);

  it("writes the decimal-price release's ItemAdded v3 and PriceCorrected v2, and reads them back in cents", () => {
    const added = decimal.encode(itemAdded("banana", 150, 2), metadata);
    expect(added).toMatchObject({ type: "ItemAdded", schemaVersion: 3, data: { unitPrice: "1.50" } });
    expect(added.data).not.toHaveProperty("unitPriceCents");
    const corrected = decimal.encode(priceCorrected("banana", 99), metadata);
    expect(corrected).toMatchObject({ type: "PriceCorrected", schemaVersion: 2, data: { unitPrice: "0.99" } });
    const events: CartEvent[] = [itemAdded("banana", 150, 2), priceCorrected("banana", 99), itemRemoved("banana")];
    for (const event of events) {
      const stored = decimal.encode(event, metadata);
      expect(decimal.decode(recorded(stored.type, stored.data, stored.schemaVersion ?? 1))).toEqual(event);
      // The shipped code reads the new shapes too: readers first, writers second.
      expect(decodeCartEvent(recorded(stored.type, stored.data, stored.schemaVersion ?? 1))).toEqual(event);
    }
  });

  it("keeps today's default: cents, ItemAdded v2", () => {
    expect(encodeCartEvent(itemAdded("banana", 150), metadata)).toMatchObject({ schemaVersion: 2, data: { unitPriceCents: 150 } });
    expect(current.encode(priceCorrected("banana", 99), metadata)).toMatchObject({ schemaVersion: 1, data: { unitPriceCents: 99 } });
  });

  it("fails a reader built for one shape on the other, naming its release and where the event sits", () => {
    const v3 = recorded("ItemAdded", { cartId: "101", sku: "a", name: "A", unitPrice: "1.00", quantity: 1 }, 3);
    const v2 = recorded("ItemAdded", { cartId: "101", sku: "a", name: "A", unitPriceCents: 100, quantity: 1 }, 2);
    expect(() => cents.decode(v3)).toThrow(/release cents\) reads v2, and no upcaster leads there/);
    expect(() => cents.decode(v3)).toThrow(expect.objectContaining({ code: "DecodeFailed", details: expect.objectContaining({ globalPosition: "7", release: "cents" }) }));
    expect(() => decimal.decode(v2)).toThrow(/release decimal-price\) reads v3/);
    expect(current.decode(v2)).toEqual(current.decode(v3));
  });

  it("refuses a decimal it cannot read exactly and fields it does not know", () => {
    const data = { cartId: "101", sku: "a", name: "A", unitPrice: "1.005", quantity: 1 };
    expect(() => decimal.decode(recorded("ItemAdded", data, 3))).toThrow(expect.objectContaining({ code: "DecodeFailed" }));
    expect(() => decimal.decode(recorded("ItemAdded", { ...data, unitPrice: "1.00", unitPriceCents: 100 }, 3))).toThrow(/unitPriceCents|Unrecognized/);
  });

  it("refuses at startup a release that names a shape nobody wrote", () => {
    expect(() => createCartEventCodec({ ...decimalPriceRelease, name: "v4", writes: { ...decimalPriceRelease.writes, ItemAdded: 4 } })).toThrow(
      expect.objectContaining({ code: "UsageInvalid" }),
    );
  });
});
