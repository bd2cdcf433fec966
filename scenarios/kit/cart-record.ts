import { decide, evolve, initialCartState, parseCommand, toCartView } from "../../services/cart/index.ts";
import type { CartCommand, CartEvent, CartState, CartView } from "../../services/cart/index.ts";

/**
 * The runner's own record of every cart, kept with the pure rules alone. It is what "the last
 * valid state" means in the recovery scenarios: no design under test computes it, so a design
 * that restores its own mistake cannot grade itself.
 */
export type CartRecord = Map<string, CartState>;

export interface RecordedCommand {
  /** null when the command is invalid at the edge (it writes nothing in either design). */
  command: CartCommand | null;
  accepted: boolean;
  /** What the rules decided; empty for a rejection or an accepted no-op. */
  events: CartEvent[];
}

export function createCartRecord(): CartRecord {
  return new Map();
}

/** Decides a raw command on the record's state of its cart and keeps the result. */
export function recordCommand(record: CartRecord, raw: Record<string, unknown>): RecordedCommand {
  const parsed = parseCommand(raw);
  if (!parsed.ok) return { command: null, accepted: false, events: [] };
  const { command } = parsed;
  const before = record.get(command.cartId) ?? initialCartState();
  const decision = decide(command, before);
  if (!decision.ok) return { command, accepted: false, events: [] };
  record.set(command.cartId, decision.events.reduce(evolve, before));
  return { command, accepted: true, events: decision.events };
}

export function recordedView(record: CartRecord, cartId: string): CartView | null {
  return toCartView(record.get(cartId) ?? initialCartState());
}

/** Every cart the record knows, in code-point order, with its view. */
export function recordedViews(record: CartRecord): Map<string, CartView | null> {
  return new Map([...record.keys()].sort().map((cartId) => [cartId, recordedView(record, cartId)] as const));
}

/**
 * Deep equality of two views, field by field in the contract's order. A view read back from a
 * jsonb column has its keys in jsonb's order, which says nothing about the cart; the order of
 * lines and discounts does (the contract sorts them), so it is kept.
 */
export function sameView(a: CartView | null, b: CartView | null): boolean {
  return JSON.stringify(inContractOrder(a)) === JSON.stringify(inContractOrder(b));
}

function inContractOrder(view: CartView | null): CartView | null {
  if (view === null) return null;
  return {
    cartId: view.cartId,
    status: view.status,
    items: view.items.map((line) => ({ sku: line.sku, name: line.name, unitPriceCents: line.unitPriceCents, quantity: line.quantity })),
    discounts: view.discounts.map((discount) => ({ discountId: discount.discountId, sku: discount.sku, minQuantity: discount.minQuantity, amountCents: discount.amountCents })),
    subtotalCents: view.subtotalCents,
    totalCents: view.totalCents,
  };
}
