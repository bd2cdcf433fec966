import { describe, expect, it } from "vitest";
import {
  cartDiscountRecord,
  cartItemRecord,
  cartStateFromRows,
  decodeCartDiscount,
  decodeCartLine,
  decodeCartRow,
} from "../../../services/crud-cdc/crud/crud-cart-rows.ts";
import { LabError } from "../../../services/platform/errors.ts";

const banana = { sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 2 };
const loyalty = { discountId: "banana-2", sku: "banana", minQuantity: 2, amountCents: -10 };

describe("CRUD rows to cart state", () => {
  it("reads an unknown cart (no carts row) as the empty state", () => {
    expect(cartStateFromRows(null, [], [])).toEqual({ status: "empty" });
  });

  it("reads a carts row without lines as an open cart, not an unknown one", () => {
    expect(cartStateFromRows({ cartId: "101", status: "open", totalCents: null }, [], [])).toEqual({
      status: "open",
      cartId: "101",
      items: [],
      discounts: [],
    });
  });

  it("sorts lines by sku and discounts by discountId in code-point order, not the locale's", () => {
    const lines = ["b", "a", "B", "_x", "A"].map((sku) => ({ ...banana, sku }));
    const discounts = ["z", "Z", "a-1", "a_1"].map((discountId) => ({ ...loyalty, discountId }));
    const state = cartStateFromRows({ cartId: "101", status: "open", totalCents: null }, lines, discounts);
    expect(state.status === "open" && state.items.map((line) => line.sku)).toEqual(["A", "B", "_x", "a", "b"]);
    expect(state.status === "open" && state.discounts.map((discount) => discount.discountId)).toEqual(["Z", "a-1", "a_1", "z"]);
  });

  it("keeps the total recorded at checkout rather than recomputing it from the lines", () => {
    const state = cartStateFromRows({ cartId: "101", status: "checked_out", totalCents: 7 }, [banana], [loyalty]);
    expect(state).toEqual({ status: "checked_out", cartId: "101", items: [banana], discounts: [loyalty], totalCents: 7 });
  });

  it("refuses a checked-out carts row without a total", () => {
    expect(() => cartStateFromRows({ cartId: "101", status: "checked_out", totalCents: null }, [], [])).toThrow(LabError);
  });
});

describe("decoding CRUD rows", () => {
  it("reads bigint columns whether node-postgres returns strings or numbers", () => {
    expect(decodeCartLine({ sku: "banana", name: "Banana", unit_price_cents: "100", quantity: 2 })).toEqual(banana);
    expect(decodeCartLine({ sku: "banana", name: "Banana", unit_price_cents: 100, quantity: 2 })).toEqual(banana);
    expect(decodeCartDiscount({ discount_id: "banana-2", sku: "banana", min_quantity: 2, amount_cents: "-10" })).toEqual(loyalty);
    expect(decodeCartRow({ cart_id: "101", status: "checked_out", total_cents: "390" })).toEqual({
      cartId: "101",
      status: "checked_out",
      totalCents: 390,
    });
  });

  it("refuses a bigint beyond JavaScript's safe integers instead of rounding money", () => {
    expect(() => decodeCartLine({ sku: "x", name: "X", unit_price_cents: "9007199254740993", quantity: 1 })).toThrow(
      /unit_price_cents/,
    );
  });

  it("names the table and column of an unreadable row", () => {
    let error: unknown;
    try {
      decodeCartRow({ cart_id: "101", status: "paid", total_cents: null });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LabError);
    expect(error).toMatchObject({ code: "DecodeFailed", details: { table: "carts" } });
    expect((error as Error).message).toContain("status");
  });

  it("refuses an open carts row that carries a total", () => {
    expect(() => decodeCartRow({ cart_id: "101", status: "open", total_cents: "5" })).toThrow(/total_cents/);
  });
});

describe("cart state to CRUD rows", () => {
  it("round-trips a line and a discount through their row shapes", () => {
    expect(decodeCartLine(cartItemRecord("101", banana))).toEqual(banana);
    expect(decodeCartDiscount(cartDiscountRecord("101", loyalty))).toEqual(loyalty);
    expect(cartItemRecord("101", banana)).toEqual({ cart_id: "101", sku: "banana", name: "Banana", unit_price_cents: 100, quantity: 2 });
  });
});
