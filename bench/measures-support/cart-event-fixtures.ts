import { randomUUID } from "node:crypto";
import type { CartEvent } from "../../services/cart/index.ts";
import { encodeCartEvent } from "../../services/event-sourced/cart-event-codec.ts";
import type { NewEvent } from "../../services/event-sourced/event-journal.ts";
import { CATALOG } from "../../scenarios/workload/cart-workload.ts";

/**
 * Cart events as the handler writes them (the current release's shapes and metadata), made
 * without deciding commands: the benchmarks that time the journal alone, and the baselines that
 * write "the same rows", need many valid events fast. Items are only ever added, so every
 * stream folds to a valid cart.
 */

/** The `sequence`-th ItemAdded of a cart (products and quantities cycle). */
export function itemAdded(cartId: string, sequence: number): NewEvent {
  const product = CATALOG[sequence % CATALOG.length] as (typeof CATALOG)[number];
  const event: CartEvent = { type: "ItemAdded", cartId, sku: product.sku, name: product.name, unitPriceCents: product.unitPriceCents, quantity: 1 + (sequence % 3) };
  return encodeCartEvent(event, { actor: `customer-${cartId}`, reason: null, correlationId: randomUUID(), decidedAt: new Date().toISOString() });
}

/** `count` ItemAdded events of one cart, from its `first`-th on. */
export function itemsAdded(cartId: string, first: number, count: number): NewEvent[] {
  return Array.from({ length: count }, (_, offset) => itemAdded(cartId, first + offset));
}

/** An event's `data` and `metadata` as the JSON text a raw baseline row stores: the same bytes the journal stores. */
export function eventJson(event: NewEvent): { data: string; metadata: string } {
  return { data: JSON.stringify(event.data), metadata: JSON.stringify(event.metadata) };
}
