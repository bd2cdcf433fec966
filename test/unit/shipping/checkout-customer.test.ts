import { describe, expect, it } from "vitest";
import { checkedOutMessage } from "../../../services/cart/index.ts";
import { decodeCheckoutRecord } from "../../../services/shipping/checkout-message.ts";

const eventId = "9af4df35-269a-4dd6-a925-f2f5de111566";
const position = { topic: "checkouts", partition: 0, offset: "7" };
const ada = { customerId: "c-1", email: "ada@example.test", name: "Ada", shippingAddress: "1 Row" };
const checkout = { type: "CheckedOut" as const, cartId: "101", items: [{ sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 1 }], discounts: [], totalCents: 100 };

function record(value: unknown) {
  return { key: "101", value: JSON.stringify(value), headers: { id: eventId, eventType: "CartCheckedOut" } };
}

describe("the customer in a checkout message", () => {
  it("travels with the checkout, so shipping has the address", () => {
    const message = checkedOutMessage({ ...checkout, customer: ada }, eventId, "2024-01-01T00:00:00.000Z");
    expect(message.customer).toEqual(ada);
    expect(decodeCheckoutRecord(record(message), position).payload.customer).toEqual(ada);
  });

  it("is absent for a cart without a customer, and the message is as before", () => {
    const message = checkedOutMessage(checkout, eventId, "2024-01-01T00:00:00.000Z");
    expect("customer" in message).toBe(false);
    expect(decodeCheckoutRecord(record(message), position).payload.customer).toBeUndefined();
  });

  it("accepts an erased customer, and refuses a customer without an id", () => {
    const erased = { customerId: "c-1", email: null, name: null, shippingAddress: null, erased: true };
    const message = checkedOutMessage(checkout, eventId, "2024-01-01T00:00:00.000Z");
    expect(decodeCheckoutRecord(record({ ...message, customer: erased }), position).payload.customer).toEqual(erased);
    expect(() => decodeCheckoutRecord(record({ ...message, customer: { ...ada, customerId: "" } }), position)).toThrow(/customer/);
  });
});
