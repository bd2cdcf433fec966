import { describe, expect, it } from "vitest";
import { cartCheckedOutOutboxRecord } from "../../../services/crud-cdc/crud/cart-outbox.ts";

describe("the checkout outbox record", () => {
  it("uses the event id as the row id and inside the payload, so consumers can deduplicate", () => {
    const items = [{ sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 2 }];
    const discounts = [{ discountId: "d1", sku: "banana", minQuantity: 2, amountCents: -10 }];
    const record = cartCheckedOutOutboxRecord(
      { type: "CheckedOut", cartId: "101", items, discounts, totalCents: 190 },
      "8d4f8c1e-2f4b-4c8e-9d1a-3b7c5e6f7a80",
      "2025-01-02T03:04:05.000Z",
    );
    expect(record).toEqual({
      id: "8d4f8c1e-2f4b-4c8e-9d1a-3b7c5e6f7a80",
      aggregatetype: "cart",
      aggregateid: "101",
      type: "CartCheckedOut",
      payload: {
        eventId: "8d4f8c1e-2f4b-4c8e-9d1a-3b7c5e6f7a80",
        cartId: "101",
        items,
        discounts,
        totalCents: 190,
        checkedOutAt: "2025-01-02T03:04:05.000Z",
      },
    });
    expect(record.payload.items[0]).not.toBe(items[0]);
  });
});
