import { describe, expect, it } from "vitest";
import type { CommandMetadata } from "../../../services/cart/index.ts";
import { cartIntent, decodeCartIntent } from "../../../services/crud-cdc/crud/cart-intent.ts";

const metadata: CommandMetadata = { actor: "operator", reason: "loyalty", correlationId: "corr-1", decidedAt: "2025-01-02T03:04:05.000Z" };

describe("the cart intent message", () => {
  it("carries who, why, when and what the command became", () => {
    const intent = cartIntent(
      { type: "ApplyDiscount", cartId: "101", discountId: "d1", sku: "banana", minQuantity: 2, amountCents: -10 },
      metadata,
      [{ type: "DiscountApplied", cartId: "101", discountId: "d1", sku: "banana", minQuantity: 2, amountCents: -10 }],
    );
    expect(intent).toEqual({
      commandType: "ApplyDiscount",
      cartId: "101",
      actor: "operator",
      reason: "loyalty",
      correlationId: "corr-1",
      decidedAt: "2025-01-02T03:04:05.000Z",
      events: ["DiscountApplied"],
    });
  });

  it("decodes back from the message content", () => {
    const intent = cartIntent({ type: "CheckOut", cartId: "101" }, { ...metadata, reason: null }, []);
    expect(decodeCartIntent(JSON.stringify(intent))).toEqual(intent);
  });

  it("refuses content that is not JSON or not an intent, with a DecodeFailed error", () => {
    expect(() => decodeCartIntent("not json")).toThrow(expect.objectContaining({ code: "DecodeFailed" }));
    expect(() => decodeCartIntent(JSON.stringify({ ...cartIntent({ type: "CheckOut", cartId: "101" }, metadata, []), commandType: "Pay" }))).toThrow(
      /commandType/,
    );
  });
});
