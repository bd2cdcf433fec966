import { describe, expect, it } from "vitest";
import { evolve, fold, initialCartState } from "../../../services/cart/index.ts";
import type { CartEvent, CartState } from "../../../services/cart/index.ts";
import {
  cartId,
  checkedOut,
  discountApplied,
  discountRevoked,
  itemAdded,
  itemRemoved,
  line,
  priceCorrected,
} from "./cart-samples.ts";

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

describe("evolve", () => {
  it("opens the cart on the first ItemAdded, under the event's cartId", () => {
    expect(evolve(initialCartState(), itemAdded("banana", 100))).toEqual({
      status: "open",
      cartId,
      items: [line("banana", 100)],
      discounts: [],
    });
  });

  it("keeps lines sorted by sku and discounts by discountId as they arrive", () => {
    const state = fold([
      itemAdded("mango", 200),
      itemAdded("apple", 150),
      itemAdded("banana", 100),
      discountApplied("d3", "mango", 1, -1),
      discountApplied("d1", "mango", 1, -1),
    ]);
    expect(state.status === "open" && state.items.map((item) => item.sku)).toEqual(["apple", "banana", "mango"]);
    expect(state.status === "open" && state.discounts.map((discount) => discount.discountId)).toEqual(["d1", "d3"]);
  });

  it("never mutates the state it is given", () => {
    const history: CartEvent[] = [
      itemAdded("banana", 100, 2),
      itemAdded("banana", 100, 1),
      discountApplied("d1", "banana", 2, -10),
      priceCorrected("banana", 90),
      discountRevoked("d1"),
      itemRemoved("banana"),
      itemAdded("apple", 150),
      checkedOut(150, [line("apple", 150)]),
    ];
    let state: CartState = deepFreeze(initialCartState());
    // Frozen states make any in-place change throw in strict-mode ESM.
    for (const event of history) state = deepFreeze(evolve(state, event));
    const expected: CartState = {
      status: "checked_out",
      cartId,
      items: [line("apple", 150)],
      discounts: [],
      totalCents: 150,
    };
    expect(state).toEqual(expected);
  });

  it("takes the checked-out cart from the CheckedOut event", () => {
    const state = fold([itemAdded("banana", 100), checkedOut(75, [line("banana", 100)])]);
    const expected: CartState = {
      status: "checked_out",
      cartId,
      items: [line("banana", 100)],
      discounts: [],
      totalCents: 75,
    };
    expect(state).toEqual(expected);
  });

  it("ignores events that cannot apply to an unknown cart", () => {
    const inapplicable: CartEvent[] = [
      itemRemoved("banana"),
      discountApplied("d1", "banana", 1, -1),
      discountRevoked("d1"),
      priceCorrected("banana", 1),
      checkedOut(0, []),
    ];
    for (const event of inapplicable) expect(evolve(initialCartState(), event)).toEqual({ status: "empty" });
  });

  it("ignores events after checkout", () => {
    const closed = fold([itemAdded("banana", 100), checkedOut(100, [line("banana", 100)])]);
    expect(fold([itemAdded("apple", 150), itemRemoved("banana"), priceCorrected("banana", 1)], closed)).toEqual(closed);
  });

  it("changes nothing for a removal, revocation or correction of something absent", () => {
    const open = fold([itemAdded("banana", 100)]);
    expect(fold([itemRemoved("apple"), discountRevoked("d9"), priceCorrected("apple", 1)], open)).toEqual(open);
  });

  it("folds onto a given state as it would from the start", () => {
    const first = [itemAdded("banana", 100), itemAdded("mango", 200)];
    const rest = [itemRemoved("banana"), discountApplied("d1", "mango", 1, -5)];
    expect(fold(rest, fold(first))).toEqual(fold([...first, ...rest]));
  });
});
