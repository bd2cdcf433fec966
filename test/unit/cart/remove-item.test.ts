import { describe, expect, it } from "vitest";
import { toCartView } from "../../../services/cart/index.ts";
import {
  addItem,
  checkedOut,
  discount,
  discountApplied,
  itemAdded,
  itemRemoved,
  line,
  removeItem,
} from "./cart-samples.ts";
import { given } from "./given-when-then.ts";

describe("RemoveItem", () => {
  it("removes the whole line, whatever its quantity", () => {
    const state = given(itemAdded("banana", 100, 3), itemAdded("apple", 150))
      .when(removeItem("banana"))
      .then(itemRemoved("banana"));
    expect(toCartView(state)?.items.map((item) => item.sku)).toEqual(["apple"]);
  });

  it("keeps the discounts on the removed sku, which stop counting", () => {
    const state = given(itemAdded("banana", 100, 2), itemAdded("apple", 150), discountApplied("d1", "banana", 2, -10))
      .when(removeItem("banana"))
      .then(itemRemoved("banana"));
    const view = toCartView(state);
    expect(view?.discounts).toEqual([discount("d1", "banana", 2, -10)]);
    expect(view?.totalCents).toBe(150);
  });

  it("lets a kept discount count again once its sku is back in quantity", () => {
    const state = given(
      itemAdded("banana", 100, 2),
      discountApplied("d1", "banana", 2, -10),
      itemRemoved("banana"),
    )
      .when(addItem("banana", 120, 2))
      .then(itemAdded("banana", 120, 2));
    expect(toCartView(state)?.totalCents).toBe(230);
  });

  it("rejects a sku that is not in the cart", () => {
    const rejection = given(itemAdded("banana", 100)).when(removeItem("apple")).thenRejects("ItemNotInCart");
    expect(rejection.message).toContain("apple");
  });

  it("rejects a sku removed already", () => {
    given(itemAdded("banana", 100), itemRemoved("banana")).when(removeItem("banana")).thenRejects("ItemNotInCart");
  });

  it("rejects an unknown cart", () => {
    given().when(removeItem("banana")).thenRejects("CartNotFound");
  });

  it("rejects a checked-out cart", () => {
    given(itemAdded("banana", 100), checkedOut(100, [line("banana", 100)]))
      .when(removeItem("banana"))
      .thenRejects("CartCheckedOut");
  });
});
