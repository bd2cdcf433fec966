import { describe, expect, it } from "vitest";
import { countingDiscounts, quantityOf, subtotalCents, totalCents } from "../../../services/cart/index.ts";
import { discount, line } from "./cart-samples.ts";

describe("totals", () => {
  it("sums quantity x unit price over the lines", () => {
    expect(subtotalCents([line("banana", 100, 2), line("mango", 250, 3)])).toBe(950);
  });

  it("is 0 for no lines", () => {
    expect(subtotalCents([])).toBe(0);
    expect(totalCents([], [discount("d1", "banana", 1, -10)])).toBe(0);
  });

  it("reads a sku's quantity, 0 when absent", () => {
    const items = [line("banana", 100, 4)];
    expect(quantityOf(items, "banana")).toBe(4);
    expect(quantityOf(items, "mango")).toBe(0);
  });

  it("counts a discount at exactly its minimum quantity", () => {
    const items = [line("banana", 100, 2)];
    expect(totalCents(items, [discount("d1", "banana", 2, -10)])).toBe(190);
  });

  it("does not count a discount one below its minimum quantity", () => {
    const items = [line("banana", 100, 1)];
    const discounts = [discount("d1", "banana", 2, -10)];
    expect(countingDiscounts(items, discounts)).toEqual([]);
    expect(totalCents(items, discounts)).toBe(100);
  });

  it("counts a discount only against its own sku's quantity", () => {
    const items = [line("banana", 100, 1), line("mango", 200, 5)];
    expect(totalCents(items, [discount("d1", "banana", 2, -10)])).toBe(1100);
  });

  it("adds every counting discount", () => {
    const items = [line("banana", 100, 3), line("mango", 200, 1)];
    const discounts = [
      discount("d1", "banana", 2, -10),
      discount("d2", "mango", 1, -25),
      discount("d3", "mango", 2, -1000),
    ];
    expect(countingDiscounts(items, discounts).map((counting) => counting.discountId)).toEqual(["d1", "d2"]);
    expect(totalCents(items, discounts)).toBe(465);
  });

  it("floors the total at 0 when discounts exceed the subtotal", () => {
    expect(totalCents([line("banana", 100, 1)], [discount("d1", "banana", 1, -101)])).toBe(0);
  });

  it("reaches 0 exactly when discounts equal the subtotal", () => {
    expect(totalCents([line("banana", 100, 1)], [discount("d1", "banana", 1, -100)])).toBe(0);
    expect(totalCents([line("banana", 100, 1)], [discount("d1", "banana", 1, -99)])).toBe(1);
  });

  it("stays exact at the largest line the limits allow", () => {
    expect(subtotalCents([line("gold", 100_000_000, 10_000)])).toBe(1_000_000_000_000);
  });
});
