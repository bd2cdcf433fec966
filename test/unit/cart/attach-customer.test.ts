import { describe, expect, it } from "vitest";
import { erasedCustomer, fold, parseCommand, toCartView } from "../../../services/cart/index.ts";
import type { CartRejection, CheckedOut } from "../../../services/cart/index.ts";
import {
  attachCustomer,
  cartId,
  checkOut,
  checkedOut,
  customerAttached,
  customerId,
  customerOf,
  itemAdded,
  line,
} from "./cart-samples.ts";
import { given } from "./given-when-then.ts";

describe("AttachCustomer", () => {
  it("attaches the customer to an open cart", () => {
    const state = given(itemAdded("banana", 100)).when(attachCustomer()).then(customerAttached());
    expect(state.status === "open" && state.customer).toEqual(customerOf(customerAttached()));
  });

  it("rejects an unknown cart as not found", () => {
    given().when(attachCustomer()).thenRejects("CartNotFound");
  });

  it("rejects a checked-out cart", () => {
    given(itemAdded("banana", 100), checkedOut(100, [line("banana", 100)])).when(attachCustomer()).thenRejects("CartCheckedOut");
  });

  it("accepts the same customer data again as a retry and writes nothing", () => {
    given(itemAdded("banana", 100), customerAttached()).when(attachCustomer()).then();
  });

  it("replaces the customer with another one (the last attached is the one sold to)", () => {
    const state = given(itemAdded("banana", 100), customerAttached())
      .when(attachCustomer("grace@example.test", "Grace Hopper", "2 Compiler Lane", "c-2"))
      .then(customerAttached("grace@example.test", "Grace Hopper", "2 Compiler Lane", "c-2"));
    expect(state.status === "open" && state.customer?.customerId).toBe("c-2");
  });

  it("replaces the same customer's data when a field differs (a corrected address)", () => {
    given(itemAdded("banana", 100), customerAttached())
      .when(attachCustomer(undefined, undefined, "3 Corrected Street"))
      .then(customerAttached(undefined, undefined, "3 Corrected Street"));
  });

  it("writes a forgotten customer's data again when it is attached again", () => {
    const erased = { type: "CustomerAttached" as const, cartId, customer: erasedCustomer(customerId) };
    given(itemAdded("banana", 100), erased).when(attachCustomer()).then(customerAttached());
  });

  it("does not change what state --json shows", () => {
    const without = fold([itemAdded("banana", 100)]);
    const withCustomer = fold([itemAdded("banana", 100), customerAttached()]);
    expect(toCartView(withCustomer)).toEqual(toCartView(without));
  });
});

describe("CheckOut with a customer", () => {
  it("carries the customer in CheckedOut, so shipping has the address", () => {
    const expected: CheckedOut = { ...checkedOut(100, [line("banana", 100)]), customer: customerOf(customerAttached()) };
    const state = given(itemAdded("banana", 100), customerAttached()).when(checkOut()).then(expected);
    expect(state.status === "checked_out" && state.customer).toEqual(customerOf(customerAttached()));
  });

  it("carries no customer key at all when none was attached (the event is as before)", () => {
    given(itemAdded("banana", 100)).when(checkOut()).then(checkedOut(100, [line("banana", 100)]));
  });

  it("keeps history folding after an erasure: the total stays, the personal fields read as erased", () => {
    const erased = { type: "CustomerAttached" as const, cartId, customer: erasedCustomer(customerId) };
    const sold: CheckedOut = { ...checkedOut(100, [line("banana", 100)]), customer: erasedCustomer(customerId) };
    const state = fold([itemAdded("banana", 100), erased, sold]);
    expect(toCartView(state)?.totalCents).toBe(100);
    expect(state.status === "checked_out" && state.customer).toEqual({ customerId, email: null, name: null, shippingAddress: null, erased: true });
  });
});

describe("validating AttachCustomer", () => {
  const valid = { type: "AttachCustomer", cartId: "101", customerId: "c-1", email: "ada@example.test", name: "Ada", shippingAddress: "1 Row" };

  function badFields(input: unknown): string[] {
    const result = parseCommand(input);
    if (result.ok) return expect.fail(`expected a rejection, got ${JSON.stringify(result.command)}`);
    const rejection: CartRejection = result.rejection;
    expect(rejection.code).toBe("ValidationFailed");
    return (rejection.fields ?? []).map((error) => error.field);
  }

  it("accepts a valid command, trimming the texts", () => {
    const result = parseCommand({ ...valid, email: " ada@example.test ", name: "  Ada ", shippingAddress: " 1 Row\n" });
    expect(result).toEqual({ ok: true, command: valid });
  });

  it("names every bad field", () => {
    expect(badFields({ type: "AttachCustomer", cartId: "-1", customerId: "c 1", email: "not-an-address", name: "  ", shippingAddress: "" })).toEqual([
      "cartId",
      "customerId",
      "email",
      "name",
      "shippingAddress",
    ]);
  });

  it.each([
    ["no @", "ada.example.test"],
    ["no dotted domain", "ada@example"],
    ["a space", "ada lovelace@example.test"],
    ["two @", "ada@@example.test"],
    ["longer than 254 characters", `${"a".repeat(243)}@example.test`],
  ])("refuses an email with %s", (_why, email) => {
    expect(badFields({ ...valid, email })).toEqual(["email"]);
  });

  it("accepts an email of exactly 254 characters", () => {
    const email = `${"a".repeat(241)}@example.test`;
    expect(email.length).toBe(254);
    expect(parseCommand({ ...valid, email }).ok).toBe(true);
  });

  it("bounds the name at 200 and the address at 500 characters after trimming", () => {
    expect(parseCommand({ ...valid, name: "n".repeat(200), shippingAddress: "a".repeat(500) }).ok).toBe(true);
    expect(badFields({ ...valid, name: "n".repeat(201), shippingAddress: "a".repeat(501) })).toEqual(["name", "shippingAddress"]);
  });

  it("refuses missing and unknown fields", () => {
    const withoutEmail: Record<string, unknown> = { ...valid };
    delete withoutEmail["email"];
    expect(badFields(withoutEmail)).toEqual(["email"]);
    expect(badFields({ ...valid, phone: "123" })).toEqual(["phone"]);
  });
});
