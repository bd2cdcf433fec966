import { describe, expect, it } from "vitest";
import { cartCustomerRecord, cartStateFromRows, decodeCartRow } from "../../../services/crud-cdc/crud/crud-cart-rows.ts";

const ada = { customerId: "c-1", email: "ada@example.test", name: "Ada", shippingAddress: "1 Row" };
const row = { cart_id: "101", status: "open", total_cents: null };

describe("the customer on a carts row", () => {
  it("reads the customer columns into the cart's state", () => {
    const cart = decodeCartRow({ ...row, customer_id: "c-1", customer_email: "ada@example.test", customer_name: "Ada", shipping_address: "1 Row" });
    expect(cart.customer).toEqual(ada);
    expect(cartStateFromRows(cart, [], [])).toEqual({ status: "open", cartId: "101", items: [], discounts: [], customer: ada });
  });

  it("reads cleared personal columns as an erased customer, keeping the id", () => {
    const cart = decodeCartRow({ ...row, customer_id: "c-1", customer_email: null, customer_name: null, shipping_address: null });
    expect(cart.customer).toEqual({ customerId: "c-1", email: null, name: null, shippingAddress: null, erased: true });
  });

  it("reads a row without a customer (or a change event from before the columns) with no customer key", () => {
    expect(decodeCartRow({ ...row, customer_id: null, customer_email: null, customer_name: null, shipping_address: null })).toEqual({ cartId: "101", status: "open", totalCents: null });
    expect(decodeCartRow(row)).toEqual({ cartId: "101", status: "open", totalCents: null });
  });

  it("writes the columns a CustomerAttached sets", () => {
    expect(cartCustomerRecord(ada)).toEqual({ customer_id: "c-1", customer_email: "ada@example.test", customer_name: "Ada", shipping_address: "1 Row" });
  });
});
