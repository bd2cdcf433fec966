import { describe, expect, it } from "vitest";
import { initialCartState, toCartView } from "../../../services/cart/index.ts";
import type { CartState } from "../../../services/cart/index.ts";
import { line } from "./cart-samples.ts";

describe("toCartView", () => {
  it("is null for a cart nothing happened to", () => {
    expect(toCartView(initialCartState())).toBeNull();
  });

  it("sorts lines by sku and discounts by discountId, by code unit rather than locale", () => {
    // Built by hand in another order, as an adapter reading rows might.
    const state: CartState = {
      status: "open",
      cartId: "7",
      items: [line("banana", 100), line("Zucchini", 50), line("apple", 150)],
      discounts: [
        { discountId: "d2", sku: "apple", minQuantity: 1, amountCents: -5 },
        { discountId: "D1", sku: "banana", minQuantity: 1, amountCents: -5 },
        { discountId: "d10", sku: "banana", minQuantity: 9, amountCents: -5 },
      ],
    };
    const view = toCartView(state);
    expect(view?.items.map((item) => item.sku)).toEqual(["Zucchini", "apple", "banana"]);
    expect(view?.discounts.map((discount) => discount.discountId)).toEqual(["D1", "d10", "d2"]);
  });

  it("computes an open cart's subtotal and total from its lines", () => {
    const view = toCartView({
      status: "open",
      cartId: "7",
      items: [line("banana", 100, 2)],
      discounts: [{ discountId: "d1", sku: "banana", minQuantity: 2, amountCents: -30 }],
    });
    expect(view).toEqual({
      cartId: "7",
      status: "open",
      items: [line("banana", 100, 2)],
      discounts: [{ discountId: "d1", sku: "banana", minQuantity: 2, amountCents: -30 }],
      subtotalCents: 200,
      totalCents: 170,
    });
  });

  it("shows a checked-out cart's total as recorded at checkout, not recomputed", () => {
    const view = toCartView({
      status: "checked_out",
      cartId: "7",
      items: [line("banana", 100, 2)],
      discounts: [],
      totalCents: 150,
    });
    expect(view).toMatchObject({ status: "checked_out", subtotalCents: 200, totalCents: 150 });
  });

  it("prints fields in the contract's order whatever order the state was built in", () => {
    const view = toCartView({
      status: "open",
      discounts: [{ amountCents: -1, sku: "b", minQuantity: 1, discountId: "d" }],
      items: [{ quantity: 1, unitPriceCents: 5, name: "B", sku: "b" }],
      cartId: "7",
    });
    expect(JSON.stringify(view)).toBe(
      '{"cartId":"7","status":"open","items":[{"sku":"b","name":"B","unitPriceCents":5,"quantity":1}],' +
        '"discounts":[{"discountId":"d","sku":"b","minQuantity":1,"amountCents":-1}],"subtotalCents":5,"totalCents":4}',
    );
  });

  it("does not share arrays with the state", () => {
    const state: CartState = { status: "open", cartId: "7", items: [line("banana", 100)], discounts: [] };
    toCartView(state)?.items.push(line("apple", 1));
    expect(state.items).toHaveLength(1);
  });
});
