import { describe, expect, it } from "vitest";
import { parseCommandInput } from "../../../services/cart/index.ts";

describe("a raw command with its metadata, as apply reads them", () => {
  const at = "2026-11-28T10:42:00.000Z";
  it("becomes a command with metadata stamped with the given time and a new correlation id", () => {
    const parsed = parseCommandInput({ type: "RemoveItem", cartId: "101", sku: "apple" }, { actor: "alice" }, at, () => "corr-1");
    expect(parsed).toEqual({ ok: true, command: { type: "RemoveItem", cartId: "101", sku: "apple" }, metadata: { actor: "alice", reason: null, correlationId: "corr-1", decidedAt: at } });
  });

  it("keeps a given correlation id", () => {
    const parsed = parseCommandInput({ type: "CheckOut", cartId: "101" }, { actor: "alice", correlationId: "given" }, at, () => "unused");
    expect(parsed.ok && parsed.metadata.correlationId).toBe("given");
  });

  it("turns a bad command or bad metadata into the result line apply prints", () => {
    expect(parseCommandInput({ type: "Teleport", cartId: "101" }, { actor: "alice" }, at, () => "x")).toEqual({
      ok: false,
      result: { ok: false, error: { code: "UnknownCommand", message: expect.any(String) } },
    });
    const noActor = parseCommandInput({ type: "CheckOut", cartId: "101" }, {}, at, () => "x");
    expect(noActor.ok ? null : noActor.result).toEqual({ ok: false, error: { code: "ValidationFailed", message: expect.stringContaining("metadata.actor") } });
  });
});
