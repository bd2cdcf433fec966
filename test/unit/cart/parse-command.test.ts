import { describe, expect, it } from "vitest";
import { parseCommand } from "../../../services/cart/index.ts";
import type { CartRejection } from "../../../services/cart/index.ts";

const validAddItem = { type: "AddItem", cartId: "101", sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 1 };
const validApplyDiscount = {
  type: "ApplyDiscount",
  cartId: "101",
  discountId: "d1",
  sku: "banana",
  minQuantity: 2,
  amountCents: -10,
};

function rejectionOf(input: unknown): CartRejection {
  const result = parseCommand(input);
  if (result.ok) expect.fail(`expected a rejection, got ${JSON.stringify(result.command)}`);
  return result.rejection;
}

function badFields(input: unknown): string[] {
  const rejection = rejectionOf(input);
  expect(rejection.code).toBe("ValidationFailed");
  return (rejection.fields ?? []).map((error) => error.field);
}

describe("parseCommand", () => {
  const validCommands: Record<string, unknown>[] = [
    validAddItem,
    { type: "RemoveItem", cartId: "101", sku: "banana" },
    validApplyDiscount,
    { type: "RevokeDiscount", cartId: "101", discountId: "d1" },
    { type: "CorrectPrice", cartId: "101", sku: "banana", unitPriceCents: 90 },
    { type: "CheckOut", cartId: "101" },
  ];
  it.each(validCommands)("accepts a valid $type as it is", (input) => {
    expect(parseCommand(input)).toEqual({ ok: true, command: input });
  });

  it("stores the name trimmed", () => {
    const result = parseCommand({ ...validAddItem, name: "  Banana split \n" });
    expect(result.ok && result.command.type === "AddItem" && result.command.name).toBe("Banana split");
  });

  it("names every bad field, in fields and in the message", () => {
    const rejection = rejectionOf({
      type: "AddItem",
      cartId: "-101",
      sku: "ba nana",
      name: "   ",
      unitPriceCents: 1.5,
      quantity: 0,
    });
    expect(rejection.code).toBe("ValidationFailed");
    const fields = (rejection.fields ?? []).map((error) => error.field);
    expect(fields).toEqual(["cartId", "sku", "name", "unitPriceCents", "quantity"]);
    for (const field of fields) expect(rejection.message).toContain(field);
    for (const error of rejection.fields ?? []) expect(error.message).not.toBe("");
  });

  it("names each missing field as required", () => {
    const rejection = rejectionOf({ type: "ApplyDiscount", cartId: "101" });
    expect(rejection.fields).toEqual([
      { field: "discountId", message: "is required" },
      { field: "sku", message: "is required" },
      { field: "minQuantity", message: "is required" },
      { field: "amountCents", message: "is required" },
    ]);
  });

  it("reports a field once even when it breaks several checks", () => {
    // 1e20 breaks both the safe-integer check and the maximum.
    expect(rejectionOf({ ...validAddItem, quantity: 1e20 }).fields).toEqual([
      { field: "quantity", message: "must be an integer from 1 to 10000" },
    ]);
  });

  it("rejects unknown fields, naming each", () => {
    expect(badFields({ ...validAddItem, colour: "yellow", discount: 5 })).toEqual(["colour", "discount"]);
  });

  it("rejects a field that belongs to another command", () => {
    expect(badFields({ type: "CheckOut", cartId: "101", sku: "banana" })).toEqual(["sku"]);
  });

  it("rejects a __proto__ key that JSON.parse made an own field", () => {
    expect(badFields(JSON.parse('{"type":"CheckOut","cartId":"101","__proto__":{"x":1}}'))).toEqual(["__proto__"]);
  });

  it.each(["Checkout", "DeleteCart", "toString", "__proto__", ""])("rejects the unknown type %j", (type) => {
    const rejection = rejectionOf({ type, cartId: "101" });
    expect(rejection.code).toBe("UnknownCommand");
    expect(rejection.fields?.map((error) => error.field)).toEqual(["type"]);
  });

  it("rejects a missing or non-string type as invalid, naming type", () => {
    expect(badFields({ cartId: "101" })).toEqual(["type"]);
    expect(badFields({ type: 3, cartId: "101" })).toEqual(["type"]);
  });

  it.each([null, "AddItem", 42, [], [validAddItem]])("rejects the non-object %j", (input) => {
    expect(badFields(input)).toEqual(["command"]);
  });

  describe("boundaries", () => {
    const cases: [string, Record<string, unknown>, boolean][] = [
      ["quantity 1", { ...validAddItem, quantity: 1 }, true],
      ["quantity 10,000", { ...validAddItem, quantity: 10_000 }, true],
      ["quantity 10,001", { ...validAddItem, quantity: 10_001 }, false],
      ["quantity 0", { ...validAddItem, quantity: 0 }, false],
      ["quantity -1", { ...validAddItem, quantity: -1 }, false],
      ["quantity 1.5", { ...validAddItem, quantity: 1.5 }, false],
      ["quantity as a string", { ...validAddItem, quantity: "1" }, false],
      ["unitPriceCents 0", { ...validAddItem, unitPriceCents: 0 }, true],
      ["unitPriceCents 100,000,000", { ...validAddItem, unitPriceCents: 100_000_000 }, true],
      ["unitPriceCents 100,000,001", { ...validAddItem, unitPriceCents: 100_000_001 }, false],
      ["unitPriceCents -1", { ...validAddItem, unitPriceCents: -1 }, false],
      ["unitPriceCents NaN", { ...validAddItem, unitPriceCents: Number.NaN }, false],
      ["unitPriceCents Infinity", { ...validAddItem, unitPriceCents: Number.POSITIVE_INFINITY }, false],
      ["minQuantity 1", { ...validApplyDiscount, minQuantity: 1 }, true],
      ["minQuantity 10,000", { ...validApplyDiscount, minQuantity: 10_000 }, true],
      ["minQuantity 10,001", { ...validApplyDiscount, minQuantity: 10_001 }, false],
      ["minQuantity 0", { ...validApplyDiscount, minQuantity: 0 }, false],
      ["amountCents -1", { ...validApplyDiscount, amountCents: -1 }, true],
      ["amountCents 0", { ...validApplyDiscount, amountCents: 0 }, false],
      ["amountCents 10", { ...validApplyDiscount, amountCents: 10 }, false],
      ["amountCents -100,000,000", { ...validApplyDiscount, amountCents: -100_000_000 }, true],
      ["amountCents -100,000,001", { ...validApplyDiscount, amountCents: -100_000_001 }, false],
      ["amountCents -1.5", { ...validApplyDiscount, amountCents: -1.5 }, false],
      ["name of 1 character", { ...validAddItem, name: "B" }, true],
      ["name of 200 characters", { ...validAddItem, name: "b".repeat(200) }, true],
      ["name of 201 characters", { ...validAddItem, name: "b".repeat(201) }, false],
      ["name of 200 characters plus spaces", { ...validAddItem, name: ` ${"b".repeat(200)}  ` }, true],
      ["name of 200 emoji (400 UTF-16 units)", { ...validAddItem, name: "🍌".repeat(200) }, true],
      ["name of 201 emoji", { ...validAddItem, name: "🍌".repeat(201) }, false],
      ["empty name", { ...validAddItem, name: "" }, false],
      ["name of only spaces", { ...validAddItem, name: " \t " }, false],
      ["id of 1 character", { ...validAddItem, cartId: "1" }, true],
      ["id of 64 characters", { ...validAddItem, cartId: "a".repeat(64) }, true],
      ["id of 65 characters", { ...validAddItem, cartId: "a".repeat(65) }, false],
      ["id with _ and - after the first character", { ...validAddItem, sku: "a_b-c" }, true],
      ["id starting with -", { ...validAddItem, sku: "-abc" }, false],
      ["id starting with _", { ...validAddItem, sku: "_abc" }, false],
      ["empty id", { ...validAddItem, cartId: "" }, false],
      ["id with a space", { ...validAddItem, cartId: "10 1" }, false],
      ["id with a non-ASCII letter", { ...validAddItem, sku: "café" }, false],
      ["id with a trailing newline", { ...validAddItem, cartId: "101\n" }, false],
      ["numeric id", { ...validAddItem, cartId: 101 }, false],
    ];
    it.each(cases)("%s: accepted = %s", (_label, input, accepted) => {
      expect(parseCommand(input).ok).toBe(accepted);
    });
  });
});
