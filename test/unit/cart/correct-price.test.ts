import { describe, expect, it } from "vitest";
import { toCartView } from "../../../services/cart/index.ts";
import { addItem, checkedOut, correctPrice, itemAdded, line, priceCorrected } from "./cart-samples.ts";
import { given } from "./given-when-then.ts";

describe("CorrectPrice", () => {
  it("changes the line's price and so the totals", () => {
    const state = given(itemAdded("banana", 100, 3), itemAdded("apple", 150))
      .when(correctPrice("banana", 90))
      .then(priceCorrected("banana", 90));
    const view = toCartView(state);
    expect(view?.items.find((item) => item.sku === "banana")).toEqual(line("banana", 90, 3));
    expect(view?.subtotalCents).toBe(420);
  });

  it("makes the corrected price the one later additions must match", () => {
    const history = [itemAdded("banana", 100), priceCorrected("banana", 90)];
    given(...history).when(addItem("banana", 100)).thenRejects("PriceMismatch");
    given(...history).when(addItem("banana", 90)).then(itemAdded("banana", 90));
  });

  it("accepts a correction to 0", () => {
    given(itemAdded("banana", 100)).when(correctPrice("banana", 0)).then(priceCorrected("banana", 0));
  });

  it("records a correction to the same price, since the operator's act is part of the audit trail", () => {
    given(itemAdded("banana", 100)).when(correctPrice("banana", 100)).then(priceCorrected("banana", 100));
  });

  it("rejects a sku that is not in the cart", () => {
    given(itemAdded("banana", 100)).when(correctPrice("apple", 90)).thenRejects("ItemNotInCart");
  });

  it("rejects an unknown cart", () => {
    given().when(correctPrice("banana", 90)).thenRejects("CartNotFound");
  });

  it("rejects a checked-out cart", () => {
    given(itemAdded("banana", 100), checkedOut(100, [line("banana", 100)]))
      .when(correctPrice("banana", 90))
      .thenRejects("CartCheckedOut");
  });
});
