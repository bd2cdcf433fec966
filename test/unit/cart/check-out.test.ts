import { describe, expect, it } from "vitest";
import { toCartView } from "../../../services/cart/index.ts";
import type { CartCommand } from "../../../services/cart/index.ts";
import {
  addItem,
  applyDiscount,
  checkOut,
  checkedOut,
  discount,
  correctPrice,
  discountApplied,
  itemAdded,
  itemRemoved,
  line,
  removeItem,
  revokeDiscount,
} from "./cart-samples.ts";
import { given } from "./given-when-then.ts";

describe("CheckOut", () => {
  it("records the cart's lines and discounts sorted, with the total", () => {
    const state = given(
      itemAdded("mango", 200),
      itemAdded("banana", 100, 2),
      discountApplied("d2", "mango", 1, -20),
      discountApplied("d1", "banana", 2, -10),
    )
      .when(checkOut())
      .then(
        checkedOut(
          370,
          [line("banana", 100, 2), line("mango", 200)],
          [
            discount("d1", "banana", 2, -10),
            discount("d2", "mango", 1, -20),
          ],
        ),
      );
    expect(toCartView(state)).toMatchObject({ status: "checked_out", totalCents: 370 });
  });

  it("lists a discount that does not count, without deducting it", () => {
    given(itemAdded("banana", 100), discountApplied("d1", "banana", 2, -10))
      .when(checkOut())
      .then(checkedOut(100, [line("banana", 100)], [discount("d1", "banana", 2, -10)]));
  });

  it("records a total of 0 when the discounts exceed the subtotal", () => {
    given(itemAdded("banana", 100), discountApplied("d1", "banana", 1, -500))
      .when(checkOut())
      .then(checkedOut(0, [line("banana", 100)], [discount("d1", "banana", 1, -500)]));
  });

  it("rejects a cart whose lines were all removed", () => {
    given(itemAdded("banana", 100), itemRemoved("banana")).when(checkOut()).thenRejects("EmptyCart");
  });

  it("rejects an unknown cart as not found rather than empty", () => {
    given().when(checkOut()).thenRejects("CartNotFound");
  });

  const everyCommand: [string, CartCommand][] = [
    ["AddItem", addItem("banana", 100)],
    ["RemoveItem", removeItem("banana")],
    ["ApplyDiscount", applyDiscount("d1", "banana", 1, -10)],
    ["RevokeDiscount", revokeDiscount("d1")],
    ["CorrectPrice", correctPrice("banana", 90)],
    ["CheckOut", checkOut()],
  ];
  it.each(everyCommand)("makes the cart refuse %s afterwards", (_type, command) => {
    given(
      itemAdded("banana", 100),
      discountApplied("d1", "banana", 1, -10),
      checkedOut(90, [line("banana", 100)], [discount("d1", "banana", 1, -10)]),
    )
      .when(command)
      .thenRejects("CartCheckedOut");
  });
});
