import { describe, expect, it } from "vitest";
import { toCartView } from "../../../services/cart/index.ts";
import {
  checkedOut,
  discount,
  discountApplied,
  discountRevoked,
  itemAdded,
  line,
  revokeDiscount,
} from "./cart-samples.ts";
import { given } from "./given-when-then.ts";

describe("RevokeDiscount", () => {
  it("revokes an applied discount, which stops lowering the total", () => {
    const state = given(itemAdded("banana", 100, 2), discountApplied("d1", "banana", 2, -10))
      .when(revokeDiscount("d1"))
      .then(discountRevoked("d1"));
    const view = toCartView(state);
    expect(view?.discounts).toEqual([]);
    expect(view?.totalCents).toBe(200);
  });

  it("revokes only the named discount", () => {
    const state = given(
      itemAdded("banana", 100, 2),
      discountApplied("d1", "banana", 2, -10),
      discountApplied("d2", "banana", 1, -5),
    )
      .when(revokeDiscount("d1"))
      .then(discountRevoked("d1"));
    expect(toCartView(state)?.discounts.map((discount) => discount.discountId)).toEqual(["d2"]);
  });

  it("revokes a discount that is not counting", () => {
    given(itemAdded("banana", 100, 1), discountApplied("d1", "banana", 5, -10))
      .when(revokeDiscount("d1"))
      .then(discountRevoked("d1"));
  });

  it("rejects a discountId the cart never had", () => {
    const rejection = given(itemAdded("banana", 100)).when(revokeDiscount("d9")).thenRejects("DiscountNotFound");
    expect(rejection.message).toContain("d9");
  });

  it("rejects a discount revoked already", () => {
    given(itemAdded("banana", 100), discountApplied("d1", "banana", 1, -10), discountRevoked("d1"))
      .when(revokeDiscount("d1"))
      .thenRejects("DiscountNotFound");
  });

  it("rejects an unknown cart", () => {
    given().when(revokeDiscount("d1")).thenRejects("CartNotFound");
  });

  it("rejects a checked-out cart", () => {
    given(
      itemAdded("banana", 100),
      discountApplied("d1", "banana", 1, -10),
      checkedOut(90, [line("banana", 100)], [discount("d1", "banana", 1, -10)]),
    )
      .when(revokeDiscount("d1"))
      .thenRejects("CartCheckedOut");
  });
});
