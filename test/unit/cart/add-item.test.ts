import { describe, expect, it } from "vitest";
import { toCartView } from "../../../services/cart/index.ts";
import { addItem, cartId, checkedOut, itemAdded, line } from "./cart-samples.ts";
import { given } from "./given-when-then.ts";

describe("AddItem", () => {
  it("opens an unknown cart with its first item", () => {
    const state = given().when(addItem("banana", 100)).then(itemAdded("banana", 100));
    expect(state).toEqual({
      status: "open",
      cartId,
      items: [{ sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 1 }],
      discounts: [],
    });
  });

  it("adds a new line beside the existing ones", () => {
    const state = given(itemAdded("banana", 100)).when(addItem("apple", 150, 3)).then(itemAdded("apple", 150, 3));
    expect(toCartView(state)?.items.map((line) => [line.sku, line.quantity])).toEqual([
      ["apple", 3],
      ["banana", 1],
    ]);
  });

  it("raises the quantity of a line already in the cart, recording only the quantity added", () => {
    const state = given(itemAdded("banana", 100, 2)).when(addItem("banana", 100, 5)).then(itemAdded("banana", 100, 5));
    expect(toCartView(state)?.items).toEqual([{ sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 7 }]);
  });

  it("keeps the line's first name when the same sku comes back under another name", () => {
    const state = given(itemAdded("banana", 100, 1, "Banana"))
      .when(addItem("banana", 100, 1, "Yellow banana"))
      .then(itemAdded("banana", 100, 1, "Yellow banana"));
    expect(toCartView(state)?.items[0]?.name).toBe("Banana");
  });

  it("rejects a price that differs from the line's price", () => {
    const rejection = given(itemAdded("banana", 100)).when(addItem("banana", 101)).thenRejects("PriceMismatch");
    expect(rejection.message).toContain("banana");
  });

  it("accepts a free item (price 0)", () => {
    given().when(addItem("sticker", 0)).then(itemAdded("sticker", 0));
  });

  it("rejects a free item added to a priced line, since 0 is a different price", () => {
    given(itemAdded("banana", 100)).when(addItem("banana", 0)).thenRejects("PriceMismatch");
  });

  it("accepts a line that reaches exactly 10,000", () => {
    given(itemAdded("banana", 100, 9_999)).when(addItem("banana", 100, 1)).then(itemAdded("banana", 100, 1));
  });

  it("rejects a line that would exceed 10,000", () => {
    given(itemAdded("banana", 100, 10_000)).when(addItem("banana", 100, 1)).thenRejects("QuantityLimit");
  });

  it("counts the limit on the resulting line, not on the quantity added", () => {
    given(itemAdded("banana", 100, 6_000)).when(addItem("banana", 100, 4_001)).thenRejects("QuantityLimit");
  });

  it("applies the limit to a new line too, even when the command skipped validation", () => {
    given().when(addItem("banana", 100, 10_001)).thenRejects("QuantityLimit");
  });

  it("checks the price before the quantity, so a mismatched price over the limit reports the price", () => {
    given(itemAdded("banana", 100, 10_000)).when(addItem("banana", 90, 1)).thenRejects("PriceMismatch");
  });

  it("rejects any item on a checked-out cart", () => {
    given(itemAdded("banana", 100), checkedOut(100, [line("banana", 100)]))
      .when(addItem("apple", 150))
      .thenRejects("CartCheckedOut");
  });
});
