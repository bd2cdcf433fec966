import { describe, expect, it } from "vitest";
import {
  cartItemRecord,
  centsPriceColumns,
  decimalPriceColumns,
  decodeCartLine,
  decodeCartLineAs,
  dualWritePriceColumns,
  priceColumnValues,
} from "../../../services/crud-cdc/crud/crud-cart-rows.ts";

const kiwi = { sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 2 };
const row = (price: Record<string, unknown>) => ({ sku: "kiwi", name: "Kiwi", quantity: 2, ...price });

describe("the price columns of a CRUD release", () => {
  it("writes cents today, both during the expand phase, the decimal after the contract", () => {
    expect(priceColumnValues(75, centsPriceColumns)).toEqual({ unit_price_cents: 75 });
    expect(priceColumnValues(75, dualWritePriceColumns)).toEqual({ unit_price_cents: 75, unit_price: "0.75" });
    expect(priceColumnValues(75, decimalPriceColumns)).toEqual({ unit_price: "0.75" });
    expect(cartItemRecord("101", kiwi)).toEqual({ cart_id: "101", sku: "kiwi", name: "Kiwi", unit_price_cents: 75, quantity: 2 });
    expect(cartItemRecord("101", kiwi, dualWritePriceColumns)).toEqual({ cart_id: "101", sku: "kiwi", name: "Kiwi", unit_price_cents: 75, unit_price: "0.75", quantity: 2 });
  });

  it("refuses a release that writes no price column", () => {
    expect(() => priceColumnValues(75, { write: [], read: "unit_price" })).toThrow(expect.objectContaining({ code: "UsageInvalid" }));
  });
});

describe("reading cart_items rows in every layout the table has had", () => {
  it("reads the old layout, the new one and both, as node-postgres and Debezium give them", () => {
    expect(decodeCartLine(row({ unit_price_cents: 75 }))).toEqual(kiwi);
    expect(decodeCartLine(row({ unit_price_cents: "75" }))).toEqual(kiwi);
    expect(decodeCartLine(row({ unit_price: "0.75" }))).toEqual(kiwi);
    expect(decodeCartLine(row({ unit_price_cents: 75, unit_price: "0.75" }))).toEqual(kiwi);
    // Written by the old release after the expand: the new column is still NULL.
    expect(decodeCartLine(row({ unit_price_cents: 75, unit_price: null }))).toEqual(kiwi);
    // Written after the contract with the old column made optional.
    expect(decodeCartLine(row({ unit_price_cents: null, unit_price: "0.75" }))).toEqual(kiwi);
  });

  it("refuses a row whose two price columns disagree, as Debezium emits a NULL it took for NOT NULL", () => {
    expect(() => decodeCartLine(row({ unit_price_cents: 75, unit_price: "0.00" }))).toThrow(expect.objectContaining({ code: "DecodeFailed", message: expect.stringMatching(/disagree/) }));
    expect(() => decodeCartLine(row({}))).toThrow(/neither unit_price_cents nor unit_price/);
    expect(() => decodeCartLine(row({ unit_price: "0.755" }))).toThrow(expect.objectContaining({ code: "DecodeFailed" }));
  });

  it("gives a reader built for one layout only that layout", () => {
    expect(decodeCartLineAs("cents", row({ unit_price_cents: 75, unit_price: "0.75" }))).toEqual(kiwi);
    expect(decodeCartLineAs("decimal", row({ unit_price_cents: 75, unit_price: "0.75" }))).toEqual(kiwi);
    expect(() => decodeCartLineAs("cents", row({ unit_price: "0.75" }))).toThrow(expect.objectContaining({ code: "DecodeFailed" }));
    expect(() => decodeCartLineAs("decimal", row({ unit_price_cents: 75 }))).toThrow(expect.objectContaining({ code: "DecodeFailed" }));
    expect(() => decodeCartLineAs("decimal", row({ unit_price_cents: 75, unit_price: null }))).toThrow(expect.objectContaining({ code: "DecodeFailed" }));
    // A reader that knows one layout cannot tell a wrong default from a price.
    expect(decodeCartLineAs("decimal", row({ unit_price_cents: 75, unit_price: "0.00" }))).toEqual({ ...kiwi, unitPriceCents: 0 });
  });
});
