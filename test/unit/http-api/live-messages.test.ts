import { describe, expect, it } from "vitest";
import type { ChangeEvent } from "../../../services/crud-cdc/change-event.ts";
import type { CartHistoryEntry } from "../../../services/event-sourced/cart-history.ts";
import { liveChange, liveJournalEvent } from "../../../services/http-api/live-messages.ts";

const source = { lsn: 100, txId: 7, committedAt: Date.UTC(2026, 10, 30, 10, 0), snapshot: false, database: "lab", schema: "crud", table: "cart_items" };
const position = { topic: "cdc_x.crud.cart_items", partition: 0, offset: "12" };

function row(cartId: string, op: "c" | "u" | "d" = "c"): ChangeEvent {
  const image = { cart_id: cartId, sku: "banana", quantity: 1 };
  return { kind: "row", op, key: { cart_id: cartId, sku: "banana" }, before: op === "c" ? null : image, after: op === "d" ? null : image, source, emittedAt: 0, position };
}

function intent(cartId: string, content?: string): ChangeEvent {
  return {
    kind: "message",
    op: "m",
    prefix: "cart-intent",
    content: content ?? JSON.stringify({ commandType: "AddItem", cartId, actor: "alice", reason: "weekly shop", correlationId: "c1", decidedAt: "2026-11-30T10:00:00.000Z", events: ["ItemAdded"] }),
    source: { ...source, table: null },
    emittedAt: 0,
    position: { ...position, topic: "cdc_x.message" },
  };
}

describe("what the live page receives", () => {
  it("a row change of the cart, with its position and commit time", () => {
    expect(liveChange(row("101"), "101")).toEqual({
      kind: "row",
      op: "c",
      table: "cart_items",
      txId: 7,
      lsn: 100,
      committedAt: "2026-11-30T10:00:00.000Z",
      position: "cdc_x.crud.cart_items[0]@12",
      before: null,
      after: { cart_id: "101", sku: "banana", quantity: 1 },
    });
    // A delete has only its before-image to say which cart it was.
    expect(liveChange(row("101", "d"), "101")).toMatchObject({ op: "d", after: null });
  });

  it("an intent message of the cart, with who and why", () => {
    expect(liveChange(intent("101"), "101")).toMatchObject({ kind: "intent", op: "m", txId: 7, intent: { commandType: "AddItem", actor: "alice", reason: "weekly shop", events: ["ItemAdded"] } });
  });

  it("nothing about other carts, tombstones or other messages", () => {
    expect(liveChange(row("102"), "101")).toBeNull();
    expect(liveChange(intent("102"), "101")).toBeNull();
    expect(liveChange({ kind: "tombstone", key: { cart_id: "101" }, position }, "101")).toBeNull();
    expect(liveChange({ ...(intent("101") as Extract<ChangeEvent, { kind: "message" }>), prefix: "other" }, "101")).toBeNull();
  });

  it("an intent message it cannot read is an error, never shown as something else", () => {
    expect(() => liveChange(intent("101", "{not json"), "101")).toThrow(/cart intent message is not JSON/);
  });

  it("a journal event with the actor and reason recorded beside it", () => {
    const entry: CartHistoryEntry = {
      streamVersion: 3,
      globalPosition: "42",
      transactionId: "900",
      eventId: "e3",
      type: "DiscountApplied",
      schemaVersion: 1,
      storedSchemaVersion: 1,
      data: { cartId: "101", discountId: "d1" },
      metadata: { actor: "pricing-bot", reason: "promotion", correlationId: "c3", decidedAt: "2026-11-30T10:00:00.000Z" },
      recordedAt: "2026-11-30T10:00:00.123456Z",
    };
    expect(liveJournalEvent(entry)).toEqual({
      streamVersion: 3,
      globalPosition: "42",
      type: "DiscountApplied",
      data: { cartId: "101", discountId: "d1" },
      actor: "pricing-bot",
      reason: "promotion",
      decidedAt: "2026-11-30T10:00:00.000Z",
      recordedAt: "2026-11-30T10:00:00.123456Z",
    });
  });
});
