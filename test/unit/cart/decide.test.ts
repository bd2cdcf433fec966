import { describe, expect, it } from "vitest";
import { decide, fold } from "../../../services/cart/index.ts";
import { addItem, itemAdded } from "./cart-samples.ts";

describe("decide", () => {
  it("refuses, by throwing, a state that belongs to another cart: that is a caller bug, not a rule", () => {
    const state = fold([itemAdded("banana", 100)]);
    expect(() => decide({ type: "CheckOut", cartId: "202" }, state)).toThrow(/cart 101.*cart 202/);
  });

  it("returns the same result for the same command and state", () => {
    const state = fold([itemAdded("banana", 100)]);
    const command = addItem("banana", 100, 2);
    expect(decide(command, state)).toEqual(decide(command, state));
  });
});
