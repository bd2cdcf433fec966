import { describe, expect, it } from "vitest";
import {
  cartErrorCodes,
  decide,
  evolve,
  fold,
  initialCartState,
  parseCommand,
  toCartView,
} from "../../../services/cart/index.ts";
import type { CartErrorCode, CartEvent, CartState, CartView } from "../../../services/cart/index.ts";

/** Small seeded PRNG (mulberry32) so a failure reproduces from its seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An independent model of the brief's rules, on a different representation (Maps, no sorting),
 * so a shared mistake in decide/evolve/totals is unlikely to be repeated here.
 */
interface Model {
  status: "none" | "open" | "closed";
  lines: Map<string, { name: string; price: number; quantity: number }>;
  discounts: Map<string, { sku: string; minQuantity: number; amountCents: number }>;
  recordedTotal: number;
}

function modelTotals(model: Model): { subtotal: number; total: number } {
  let subtotal = 0;
  for (const line of model.lines.values()) subtotal += line.price * line.quantity;
  let discounted = subtotal;
  for (const discount of model.discounts.values()) {
    const held = model.lines.get(discount.sku)?.quantity ?? 0;
    if (held >= discount.minQuantity) discounted += discount.amountCents;
  }
  return { subtotal, total: discounted < 0 ? 0 : discounted };
}

function modelView(model: Model, cartId: string): CartView | null {
  if (model.status === "none") return null;
  const { subtotal, total } = modelTotals(model);
  const bySku = [...model.lines.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const byId = [...model.discounts.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  return {
    cartId,
    status: model.status === "open" ? "open" : "checked_out",
    items: bySku.map(([sku, line]) => ({ sku, name: line.name, unitPriceCents: line.price, quantity: line.quantity })),
    discounts: byId.map(([discountId, discount]) => ({ discountId, ...discount })),
    subtotalCents: subtotal,
    totalCents: model.status === "closed" ? model.recordedTotal : total,
  };
}

type Outcome = { accepted: true; writes: boolean } | { accepted: false; code: CartErrorCode };

/** Predicts the outcome of a valid command and, if accepted, applies it to the model. */
function step(model: Model, command: Record<string, unknown>): Outcome {
  const reject = (code: CartErrorCode): Outcome => ({ accepted: false, code });
  const str = (key: string) => command[key] as string;
  const num = (key: string) => command[key] as number;
  if (model.status === "closed") return reject("CartCheckedOut");
  if (model.status === "none" && command["type"] !== "AddItem") return reject("CartNotFound");
  switch (command["type"]) {
    case "AddItem": {
      const line = model.lines.get(str("sku"));
      if (line && line.price !== num("unitPriceCents")) return reject("PriceMismatch");
      if ((line?.quantity ?? 0) + num("quantity") > 10_000) return reject("QuantityLimit");
      model.status = "open";
      if (line) line.quantity += num("quantity");
      else {
        const added = { name: str("name").trim(), price: num("unitPriceCents"), quantity: num("quantity") };
        model.lines.set(str("sku"), added);
      }
      return { accepted: true, writes: true };
    }
    case "RemoveItem":
      if (!model.lines.delete(str("sku"))) return reject("ItemNotInCart");
      return { accepted: true, writes: true };
    case "ApplyDiscount": {
      const existing = model.discounts.get(str("discountId"));
      const wanted = { sku: str("sku"), minQuantity: num("minQuantity"), amountCents: num("amountCents") };
      if (existing) {
        const same =
          existing.sku === wanted.sku &&
          existing.minQuantity === wanted.minQuantity &&
          existing.amountCents === wanted.amountCents;
        return same ? { accepted: true, writes: false } : reject("DiscountConflict");
      }
      model.discounts.set(str("discountId"), wanted);
      return { accepted: true, writes: true };
    }
    case "RevokeDiscount":
      if (!model.discounts.delete(str("discountId"))) return reject("DiscountNotFound");
      return { accepted: true, writes: true };
    case "CorrectPrice": {
      const line = model.lines.get(str("sku"));
      if (!line) return reject("ItemNotInCart");
      line.price = num("unitPriceCents");
      return { accepted: true, writes: true };
    }
    case "CheckOut":
      if (model.lines.size === 0) return reject("EmptyCart");
      model.recordedTotal = modelTotals(model).total;
      model.status = "closed";
      return { accepted: true, writes: true };
    default:
      throw new Error(`generator produced an unexpected type ${String(command["type"])}`);
  }
}

const skus = ["apple", "banana", "mango", "kiwi"];
const basePrice: Record<string, number> = { apple: 150, banana: 100, mango: 200, kiwi: 0 };
const discountIds = ["d1", "d2", "d3"];

/** Raw JSON input as `apply` would read it; `valid: false` ones must fail parsing. */
function generate(
  random: () => number,
  cartId: string,
  model: Model,
  removeWeight: number,
): { input: Record<string, unknown>; valid: boolean } {
  const pick = <T>(options: readonly T[]): T => options[Math.floor(random() * options.length)] as T;
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const sku = pick(skus);
  const discountId = pick(discountIds);
  const kinds = [
    ["broken", 6],
    ["add", 39],
    ["remove", removeWeight],
    ["discount", 18],
    ["revoke", 10],
    ["correct", 12],
    ["checkout", 4],
  ] as const;
  let roll = random() * kinds.reduce((sum, [, weight]) => sum + weight, 0);
  const kind = kinds.find(([, weight]) => (roll -= weight) < 0)?.[0] ?? "checkout";
  if (kind === "broken") {
    const broken: Record<string, unknown>[] = [
      { type: "Refund", cartId },
      { type: "AddItem", cartId, sku, name: "X", unitPriceCents: 1, quantity: 10_001 },
      { type: "AddItem", cartId, sku: "", name: "  ", unitPriceCents: -1, quantity: 1 },
      { type: "ApplyDiscount", cartId, discountId, sku, minQuantity: 1, amountCents: 0 },
      { type: "CheckOut", cartId, force: true },
      { type: "RemoveItem", cartId },
    ];
    return { input: pick(broken), valid: false };
  }
  if (kind === "add") {
    const quantityRoll = random();
    const quantity =
      quantityRoll < 0.75 ? between(1, 5) : quantityRoll < 0.93 ? between(100, 3_000) : between(5_000, 10_000);
    const unitPriceCents = random() < 0.85 ? (basePrice[sku] ?? 1) : between(0, 500);
    return { input: { type: "AddItem", cartId, sku, name: ` ${sku} `, unitPriceCents, quantity }, valid: true };
  }
  if (kind === "remove") {
    // Mostly remove a line the cart holds, so carts empty out again and EmptyCart is reachable.
    const held = [...model.lines.keys()];
    const target = held.length > 0 && random() < 0.7 ? pick(held) : sku;
    return { input: { type: "RemoveItem", cartId, sku: target }, valid: true };
  }
  if (kind === "discount") {
    const existing = model.discounts.get(discountId);
    if (existing && random() < 0.4) {
      return { input: { type: "ApplyDiscount", cartId, discountId, ...existing }, valid: true };
    }
    const amountCents = random() < 0.9 ? -between(1, 60) : -between(1_000, 100_000_000);
    return {
      input: { type: "ApplyDiscount", cartId, discountId, sku, minQuantity: between(1, 6), amountCents },
      valid: true,
    };
  }
  if (kind === "revoke") return { input: { type: "RevokeDiscount", cartId, discountId }, valid: true };
  if (kind === "correct") {
    return { input: { type: "CorrectPrice", cartId, sku, unitPriceCents: between(0, 500) }, valid: true };
  }
  return { input: { type: "CheckOut", cartId }, valid: true };
}

function checkInvariants(state: CartState, context: string): void {
  if (state.status === "empty") return;
  const skusSeen = state.items.map((line) => line.sku);
  expect(new Set(skusSeen).size, `${context}: one line per sku`).toBe(skusSeen.length);
  const idsSeen = state.discounts.map((discount) => discount.discountId);
  expect(new Set(idsSeen).size, `${context}: one discount per id`).toBe(idsSeen.length);
  for (const line of state.items) {
    expect(line.quantity, `${context}: ${line.sku} quantity`).toBeGreaterThanOrEqual(1);
    expect(line.quantity, `${context}: ${line.sku} quantity`).toBeLessThanOrEqual(10_000);
    expect(Number.isInteger(line.quantity)).toBe(true);
  }
  for (const discount of state.discounts) expect(discount.amountCents).toBeLessThan(0);
  const view = toCartView(state);
  expect(view?.totalCents, `${context}: total never negative`).toBeGreaterThanOrEqual(0);
  expect(view?.totalCents ?? 0, `${context}: discounts never raise the total`).toBeLessThanOrEqual(
    view?.subtotalCents ?? 0,
  );
}

function runProperty(seed: number, commandCount: number) {
  const random = mulberry32(seed);
  const seen = new Set<CartErrorCode>();
  let noOps = 0;
  let flooredTotals = 0;
  let checkouts = 0;
  let done = 0;
  for (let run = 0; done < commandCount; run += 1) {
    const cartId = `p${seed}-${run}`;
    const model: Model = { status: "none", lines: new Map(), discounts: new Map(), recordedTotal: 0 };
    let state = initialCartState();
    const history: CartEvent[] = [];
    let afterCheckout = 0;
    // Some carts churn (many removals) so they empty out again and EmptyCart is reachable.
    const removeWeight = random() < 0.25 ? 45 : 11;
    while (done < commandCount && afterCheckout < 3) {
      done += 1;
      const { input, valid } = generate(random, cartId, model, removeWeight);
      const context = `seed ${seed}, command ${done}: ${JSON.stringify(input)}`;
      const before = JSON.stringify(state);
      const parsed = parseCommand(input);
      expect(parsed.ok, context).toBe(valid);
      if (!parsed.ok) {
        seen.add(parsed.rejection.code);
        expect(["ValidationFailed", "UnknownCommand"], context).toContain(parsed.rejection.code);
        continue;
      }
      const predicted = step(model, input);
      const result = decide(parsed.command, state);
      expect(JSON.stringify(state), `${context}: decide left its input untouched`).toBe(before);
      if (!predicted.accepted) {
        expect(result, context).toMatchObject({ ok: false, rejection: { code: predicted.code } });
        seen.add(predicted.code);
      } else {
        if (!result.ok) expect.fail(`${context}: rejected with ${result.rejection.code}, expected acceptance`);
        expect(result.events.length, context).toBe(predicted.writes ? 1 : 0);
        if (!predicted.writes) noOps += 1;
        for (const event of result.events) {
          if (event.type === "CheckedOut") {
            checkouts += 1;
            expect(event.totalCents, `${context}: recorded total`).toBe(model.recordedTotal);
          }
          state = evolve(state, event);
          history.push(event);
        }
      }
      if (model.status === "closed") afterCheckout += 1;
      // A rejected command must leave the state exactly as it was; an accepted one must match the model.
      if (!predicted.accepted || !predicted.writes) expect(JSON.stringify(state), context).toBe(before);
      expect(toCartView(state), context).toEqual(modelView(model, cartId));
      checkInvariants(state, context);
      const view = toCartView(state);
      if (view && view.totalCents === 0 && view.subtotalCents > 0) flooredTotals += 1;
    }
    expect(fold(history), `seed ${seed}, cart ${cartId}: replay equals the live state`).toEqual(state);
    expect(JSON.parse(JSON.stringify(state)), `seed ${seed}: state survives JSON`).toEqual(state);
  }
  return { seen, noOps, flooredTotals, checkouts };
}

describe("cart rules under ~2,000 random commands", () => {
  it.each([1, 42, 20_240_601])("agree with an independent model and keep the invariants (seed %i)", (seed) => {
    const { seen, noOps, flooredTotals, checkouts } = runProperty(seed, 2_000);
    // The generator must actually reach every rule, or the agreement above proves little.
    expect([...seen].sort()).toEqual([...cartErrorCodes].sort());
    expect(noOps).toBeGreaterThan(0);
    expect(flooredTotals).toBeGreaterThan(0);
    expect(checkouts).toBeGreaterThan(5);
  });
});
