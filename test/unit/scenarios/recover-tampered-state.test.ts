import { outcomeBuilder } from "../../support/judge-outcome.ts";
import { describe, expect, it } from "vitest";
import { judgeTamperedState } from "../../../scenarios/catalog/recover.tampered-state/judge.ts";
import { OBS } from "../../../scenarios/catalog/recover.tampered-state/observations.ts";
import { recoverTamperedState } from "../../../scenarios/catalog/recover.tampered-state/scenario.ts";
import { sameView } from "../../../scenarios/kit/cart-record.ts";
import { HAND_EDITS, planHandEdits } from "../../../scenarios/kit/hand-edits.ts";
import type { CartView } from "../../../services/cart/index.ts";

const outcome = outcomeBuilder(OBS, { subject: "cdc-plain" });

function cart(cartId: string, skus: string[]): CartView {
  const items = skus.map((sku) => ({ sku, name: sku, unitPriceCents: 100, quantity: 1 }));
  return { cartId, status: "open", items, discounts: [], subtotalCents: 100 * skus.length, totalCents: 100 * skus.length };
}

describe("judging recover.tampered-state", () => {
  it("is full when every tampered cart came back exactly and nothing else was damaged", () => {
    expect(judgeTamperedState(outcome({ cartsTampered: 3, cartsRestoredExactly: 3, otherCartsIntact: true }))).toEqual({ symbol: "full", figure: "3/3 restored" });
  });

  it("is partial when only some came back", () => {
    expect(judgeTamperedState(outcome({ cartsTampered: 3, cartsRestoredExactly: 2, otherCartsIntact: true })).symbol).toBe("partial");
  });

  it("is none when no tampered cart came back, as with the CRUD tables alone", () => {
    expect(judgeTamperedState(outcome({ cartsTampered: 3, cartsRestoredExactly: 0, otherCartsIntact: true }))).toEqual({ symbol: "none", figure: "0/3 restored" });
  });

  it("is only partial when the restore damaged carts nobody had edited", () => {
    expect(judgeTamperedState(outcome({ cartsTampered: 3, cartsRestoredExactly: 3, otherCartsIntact: false })).symbol).toBe("partial");
  });

  it("reports a failed or unsupported subject as such, whatever it observed", () => {
    expect(judgeTamperedState(outcome({ cartsTampered: 3, cartsRestoredExactly: 3 }, "failed")).symbol).toBe("failed");
    expect(judgeTamperedState(outcome({}, "unsupported")).symbol).toBe("n/a");
  });

  it("plots the percent of tampered carts restored", () => {
    expect(recoverTamperedState.headline.observation).toEqual({ name: "restoredPercent", unit: "percent", shape: "number", varies: null });
    expect(recoverTamperedState.headline.observation).toBe(OBS.restoredPercent);
    expect(recoverTamperedState.judge).toBe(judgeTamperedState);
  });
});

describe("planning the hand edits", () => {
  const views = new Map<string, CartView | null>([
    ["c-1", cart("c-1", ["banana"])],
    ["c-2", cart("c-2", [])],
    ["c-3", null],
    ["c-4", cart("c-4", ["mango", "apple"])],
    ["c-5", cart("c-5", ["kiwi"])],
    ["c-6", cart("c-6", ["pear"])],
  ]);

  it("edits only carts with a line, spread over them, each kind of edit in turn", () => {
    const planned = planHandEdits(views, 3);
    expect(planned.map((edit) => edit.cartId)).toEqual(["c-1", "c-4", "c-5"]);
    expect(planned.map((edit) => edit.edit)).toEqual([...HAND_EDITS]);
    expect(planned[1]?.sku).toBe("mango");
  });

  it("edits no more carts than hold a line", () => {
    expect(planHandEdits(views, 10)).toHaveLength(4);
    expect(planHandEdits(new Map([["c-2", cart("c-2", [])]]), 3)).toEqual([]);
  });
});

describe("comparing views", () => {
  it("ignores key order, as a view read back from jsonb has it", () => {
    const view = cart("c-1", ["banana"]);
    const reordered = JSON.parse('{"items":[{"quantity":1,"name":"banana","sku":"banana","unitPriceCents":100}],"status":"open","cartId":"c-1","discounts":[],"totalCents":100,"subtotalCents":100}') as CartView;
    expect(sameView(view, reordered)).toBe(true);
  });

  it("sees a changed quantity, a missing cart and the order of lines", () => {
    const view = cart("c-1", ["apple", "banana"]);
    expect(sameView(view, { ...view, items: view.items.map((line) => ({ ...line, quantity: 6 })) })).toBe(false);
    expect(sameView(view, null)).toBe(false);
    expect(sameView(view, { ...view, items: [...view.items].reverse() })).toBe(false);
  });
});
