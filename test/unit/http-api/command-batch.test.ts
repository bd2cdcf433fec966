import { describe, expect, it } from "vitest";
import { DEFAULT_ACTOR, MAX_COMMANDS_PER_REQUEST, parseCommandBatch } from "../../../services/http-api/command-batch.ts";

const add = { type: "AddItem", cartId: "101", sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 1 };

function refused(text: string) {
  const result = parseCommandBatch(text);
  if (result.ok) throw new Error(`expected ${text.slice(0, 80)} to be refused`);
  return result.error;
}

describe("a batch of commands", () => {
  it("takes a bare array: each command gets the default actor", () => {
    expect(parseCommandBatch(JSON.stringify([add, { type: "CheckOut", cartId: "101" }]))).toEqual({
      ok: true,
      value: [
        { command: add, metadata: { actor: DEFAULT_ACTOR } },
        { command: { type: "CheckOut", cartId: "101" }, metadata: { actor: DEFAULT_ACTOR } },
      ],
    });
  });

  it("takes envelopes and a body-wide default metadata, an envelope's own metadata winning", () => {
    const body = { commands: [add, { command: add, metadata: { actor: "bob", reason: "gift" } }, { command: add }], metadata: { actor: "alice", reason: "weekly shop" } };
    const result = parseCommandBatch(JSON.stringify(body));
    expect(result).toEqual({
      ok: true,
      value: [
        { command: add, metadata: { actor: "alice", reason: "weekly shop" } },
        { command: add, metadata: { actor: "bob", reason: "gift" } },
        { command: add, metadata: { actor: "alice", reason: "weekly shop" } },
      ],
    });
  });

  it("accepts an empty batch", () => {
    expect(parseCommandBatch("[]")).toEqual({ ok: true, value: [] });
  });

  it("refuses a body that is not JSON", () => {
    expect(refused("[{")).toMatchObject({ status: 400, code: "ValidationFailed", fields: [{ field: "body" }] });
    expect(refused("").message).toContain("not JSON");
  });

  it.each([["null"], ["42"], ['"AddItem"'], [JSON.stringify(add)], ['{"commands": {}}'], ['{"commands": [], "extra": 1}']])("refuses the shape %s", (text) => {
    expect(refused(text)).toMatchObject({ status: 400, code: "ValidationFailed" });
  });

  it("refuses the whole batch for one unknown command type, naming it and its index", () => {
    const error = refused(JSON.stringify([add, { type: "Teleport", cartId: "101" }]));
    expect(error).toMatchObject({ status: 400, code: "ValidationFailed", fields: [{ field: "commands.1.type" }], details: { rejected: [{ index: 1, code: "UnknownCommand" }] } });
    expect(error.message).toContain("1 of 2 commands are invalid; nothing was applied");
  });

  it("names every wrong field of every command, from the top of the request", () => {
    const error = refused(JSON.stringify([{ ...add, quantity: "2", unitPriceCents: 1.5 }, add, { command: { type: "CheckOut", cartId: "bad id" } }]));
    expect(error.fields?.map((field) => field.field)).toEqual(["commands.0.unitPriceCents", "commands.0.quantity", "commands.2.cartId"]);
    expect(error.details).toMatchObject({ rejected: [{ index: 0, code: "ValidationFailed" }, { index: 2, code: "ValidationFailed" }] });
  });

  it("checks metadata with the cart's validator: actor required, no unknown fields", () => {
    expect(refused(JSON.stringify({ commands: [add], metadata: { reason: "no actor" } })).fields).toEqual([{ field: "commands.0.metadata.actor", message: "is required" }]);
    expect(refused(JSON.stringify([{ command: add, metadata: { actor: "a", role: "admin" } }])).fields).toEqual([{ field: "commands.0.metadata.role", message: "is not a known field" }]);
    expect(refused(JSON.stringify([{ command: add, meta: {} }])).fields?.[0]?.field).toBe("commands.0");
  });

  it("refuses unknown fields in a command, as apply does", () => {
    expect(refused(JSON.stringify([{ ...add, coupon: "x" }])).fields).toEqual([{ field: "commands.0.coupon", message: "is not a known field" }]);
  });

  it(`refuses more than ${MAX_COMMANDS_PER_REQUEST} commands`, () => {
    expect(refused(JSON.stringify(Array.from({ length: MAX_COMMANDS_PER_REQUEST + 1 }, () => add))).fields).toEqual([{ field: "commands", message: expect.stringContaining("at most") }]);
    expect(parseCommandBatch(JSON.stringify(Array.from({ length: MAX_COMMANDS_PER_REQUEST }, () => add))).ok).toBe(true);
  });
});
