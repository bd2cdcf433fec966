import { describe, expect, it } from "vitest";
import { toCartView } from "../../../services/cart/index.ts";
import type { ApplyDiscount } from "../../../services/cart/index.ts";
import {
  applyDiscount,
  checkedOut,
  discount,
  discountApplied,
  discountRevoked,
  itemAdded,
  line,
} from "./cart-samples.ts";
import { given } from "./given-when-then.ts";

describe("ApplyDiscount", () => {
  it("applies a discount that counts once the cart holds its minimum quantity", () => {
    const state = given(itemAdded("banana", 100, 2))
      .when(applyDiscount("d1", "banana", 2, -10))
      .then(discountApplied("d1", "banana", 2, -10));
    expect(toCartView(state)?.totalCents).toBe(190);
  });

  it("applies a discount below its minimum quantity, which does not count yet", () => {
    const state = given(itemAdded("banana", 100, 1))
      .when(applyDiscount("d1", "banana", 2, -10))
      .then(discountApplied("d1", "banana", 2, -10));
    const view = toCartView(state);
    expect(view?.discounts).toHaveLength(1);
    expect(view?.totalCents).toBe(100);
  });

  it("applies a discount on a sku the cart does not hold, which does not count", () => {
    const state = given(itemAdded("banana", 100))
      .when(applyDiscount("d1", "mango", 1, -50))
      .then(discountApplied("d1", "mango", 1, -50));
    expect(toCartView(state)?.totalCents).toBe(100);
  });

  it("writes nothing when the same discount is applied again with the same content", () => {
    given(itemAdded("banana", 100, 2), discountApplied("d1", "banana", 2, -10))
      .when(applyDiscount("d1", "banana", 2, -10))
      .then();
  });

  const conflicting: [string, ApplyDiscount][] = [
    ["another amount", applyDiscount("d1", "banana", 2, -20)],
    ["another sku", applyDiscount("d1", "apple", 2, -10)],
    ["another minimum quantity", applyDiscount("d1", "banana", 3, -10)],
  ];
  it.each(conflicting)("rejects the same discountId with %s", (_label, command) => {
    const rejection = given(itemAdded("banana", 100, 2), discountApplied("d1", "banana", 2, -10))
      .when(command)
      .thenRejects("DiscountConflict");
    expect(rejection.message).toContain("d1");
  });

  it("accepts a second discount under another id, and both count", () => {
    const state = given(itemAdded("banana", 100, 2), discountApplied("d1", "banana", 2, -10))
      .when(applyDiscount("d2", "banana", 1, -5))
      .then(discountApplied("d2", "banana", 1, -5));
    expect(toCartView(state)?.totalCents).toBe(185);
  });

  it("accepts a revoked discountId again, even with other content", () => {
    given(itemAdded("banana", 100, 2), discountApplied("d1", "banana", 2, -10), discountRevoked("d1"))
      .when(applyDiscount("d1", "banana", 2, -30))
      .then(discountApplied("d1", "banana", 2, -30));
  });

  it("rejects an unknown cart", () => {
    given().when(applyDiscount("d1", "banana", 1, -10)).thenRejects("CartNotFound");
  });

  it("rejects a checked-out cart, even with the content already applied", () => {
    given(
      itemAdded("banana", 100),
      discountApplied("d1", "banana", 1, -10),
      checkedOut(90, [line("banana", 100)], [discount("d1", "banana", 1, -10)]),
    )
      .when(applyDiscount("d1", "banana", 1, -10))
      .thenRejects("CartCheckedOut");
  });
});
