import { describe, expect, it } from "vitest";
import { parseCommand, parseMetadata } from "../../../services/cart/index.ts";

const addItem = (name: string) => ({ type: "AddItem", cartId: "c1", sku: "kiwi", name, unitPriceCents: 75, quantity: 1 });
const unstorable = "must not contain NUL characters or unpaired surrogates";

describe("text PostgreSQL cannot store is refused at the edge, naming the field", () => {
  it.each([
    ["a NUL character", "Ki\u0000wi"],
    ["a lone high surrogate", "Kiwi \ud800"],
    ["a lone low surrogate", "\udc00Kiwi"],
    ["surrogates in the wrong order", "Kiwi \udc00\ud800"],
  ])("in a command's text: %s", (_, name) => {
    expect(parseCommand(addItem(name))).toEqual({ ok: false, rejection: expect.objectContaining({ code: "ValidationFailed", fields: [{ field: "name", message: unstorable }] }) });
  });

  it("in the customer's e-mail, name and address", () => {
    const result = parseCommand({ type: "AttachCustomer", cartId: "c1", customerId: "u1", email: "a\u0000@b.example", name: "A\ud800", shippingAddress: "Street\u0000 1" });
    expect(result.ok ? [] : result.rejection.fields).toEqual([
      { field: "email", message: unstorable },
      { field: "name", message: unstorable },
      { field: "shippingAddress", message: unstorable },
    ]);
  });

  it("in the metadata's actor and reason", () => {
    const result = parseMetadata({ actor: "mal\udc00lory", reason: "why\u0000" });
    expect(result.ok ? [] : result.rejection.fields).toEqual([
      { field: "metadata.actor", message: unstorable },
      { field: "metadata.reason", message: unstorable },
    ]);
  });

  it("while whole surrogate pairs (emoji) and other control-free text pass", () => {
    expect(parseCommand(addItem("Kiwi 🥝 (NZ)")).ok).toBe(true);
    expect(parseMetadata({ actor: "ana 🙂", reason: "tab\there" }).ok).toBe(true);
  });
});
