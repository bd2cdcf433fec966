import { describe, expect, it } from "vitest";
import { compensatingCommands } from "../../../scenarios/catalog/recover.beyond-retention/compensating-commands.ts";
import { createCartRecord, recordCommand, recordedView } from "../../../scenarios/kit/cart-record.ts";
import type { CartRecord } from "../../../scenarios/kit/cart-record.ts";
import type { CartView } from "../../../services/cart/index.ts";

const operator = { actor: "operator", reason: "restore" };

function cartAfter(commands: Record<string, unknown>[]): CartRecord {
  const record = createCartRecord();
  for (const command of commands) if (!recordCommand(record, { cartId: "c-1", ...command }).accepted) throw new Error(`rejected: ${JSON.stringify(command)}`);
  return record;
}

/** Applies the compensation with the rules and returns where the cart ends. */
function compensate(record: CartRecord, target: CartView | null): CartView | null {
  const compensation = compensatingCommands(recordedView(record, "c-1"), target, operator);
  if (!compensation.ok) throw new Error(compensation.reason);
  for (const { command, metadata } of compensation.commands) {
    expect(metadata).toEqual(operator);
    expect(recordCommand(record, command).accepted, JSON.stringify(command)).toBe(true);
  }
  return recordedView(record, "c-1");
}

const banana = { type: "AddItem", sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 2 };
const mango = { type: "AddItem", sku: "mango", name: "Mango", unitPriceCents: 200, quantity: 1 };
const promo = (amountCents: number) => ({ type: "ApplyDiscount", discountId: "weekly-10", sku: "banana", minQuantity: 1, amountCents });

describe("compensating commands", () => {
  const before = [banana, mango, promo(-10)];

  it("need nothing when the cart is already the target", () => {
    const target = recordedView(cartAfter(before), "c-1");
    expect(compensatingCommands(target, target, operator)).toEqual({ ok: true, commands: [] });
  });

  it("bring back a discount applied with the wrong amount", () => {
    const target = recordedView(cartAfter(before), "c-1");
    const current = cartAfter([banana, mango, promo(-1000)]);
    expect(compensate(current, target)).toEqual(target);
  });

  it("undo added, removed, re-priced and grown lines, and discounts added or revoked", () => {
    const target = recordedView(cartAfter([...before, { type: "AddItem", sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 3 }]), "c-1");
    const current = cartAfter([
      ...before,
      { type: "AddItem", sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 5 },
      { type: "RemoveItem", sku: "mango" },
      { type: "CorrectPrice", sku: "banana", unitPriceCents: 90 },
      { type: "AddItem", sku: "pear", name: "Pear", unitPriceCents: 120, quantity: 1 },
      { type: "RevokeDiscount", discountId: "weekly-10" },
      { type: "ApplyDiscount", discountId: "loyalty", sku: "pear", minQuantity: 1, amountCents: -30 },
    ]);
    expect(compensate(current, target)).toEqual(target);
  });

  it("reopen a cart that has no rows any more, line by line", () => {
    const target = recordedView(cartAfter(before), "c-1");
    expect(compensate(createCartRecord(), target)).toEqual(target);
  });

  it("cannot undo a checkout, delete a cart, or reopen an empty one", () => {
    const checkedOut = recordedView(cartAfter([...before, { type: "CheckOut" }]), "c-1");
    const open = recordedView(cartAfter(before), "c-1");
    expect(compensatingCommands(checkedOut, open, operator).ok).toBe(false);
    expect(compensatingCommands(open, null, operator).ok).toBe(false);
    const emptied = recordedView(cartAfter([banana, { type: "RemoveItem", sku: "banana" }]), "c-1");
    expect(compensatingCommands(null, emptied, operator).ok).toBe(false);
  });

  it("check out again only when the checkout would record the same total", () => {
    const target = recordedView(cartAfter([...before, { type: "CheckOut" }]), "c-1");
    expect(compensate(cartAfter([banana]), target)).toEqual(target);
    if (target === null) throw new Error("no target");
    expect(compensatingCommands(null, { ...target, totalCents: target.totalCents + 1 }, operator).ok).toBe(false);
  });
});
