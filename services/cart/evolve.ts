import { assertNever } from "./assert-never.ts";
import type { CartEvent } from "./events.ts";
import { initialCartState, sortedDiscounts, sortedLines } from "./state.ts";
import type { CartState, OpenCartState } from "./state.ts";

/**
 * Applies one recorded event. Total by design: an event that cannot apply to the current status
 * (which `decide` never produces) leaves the state as it is, so replaying a foreign or damaged
 * history shows what it can instead of crashing the reader. Lines and discounts are kept sorted,
 * so two designs that saw the same events hold deep-equal states.
 */
export function evolve(state: CartState, event: CartEvent): CartState {
  switch (event.type) {
    case "ItemAdded": {
      if (state.status === "checked_out") return state;
      const cart: OpenCartState =
        state.status === "empty" ? { status: "open", cartId: event.cartId, items: [], discounts: [] } : state;
      const existing = cart.items.find((line) => line.sku === event.sku);
      // An existing line keeps its name and price: ItemAdded only raises its quantity.
      const items = existing
        ? cart.items.map((line) =>
            line.sku === event.sku ? { ...line, quantity: line.quantity + event.quantity } : line,
          )
        : sortedLines([
            ...cart.items,
            { sku: event.sku, name: event.name, unitPriceCents: event.unitPriceCents, quantity: event.quantity },
          ]);
      return { ...cart, items };
    }
    case "ItemRemoved":
      // Discounts on the sku stay: they stop counting and count again if the sku comes back.
      return whenOpen(state, (cart) => ({ ...cart, items: cart.items.filter((line) => line.sku !== event.sku) }));
    case "DiscountApplied":
      return whenOpen(state, (cart) => ({
        ...cart,
        discounts: sortedDiscounts([
          ...cart.discounts.filter((discount) => discount.discountId !== event.discountId),
          {
            discountId: event.discountId,
            sku: event.sku,
            minQuantity: event.minQuantity,
            amountCents: event.amountCents,
          },
        ]),
      }));
    case "DiscountRevoked":
      return whenOpen(state, (cart) => ({
        ...cart,
        discounts: cart.discounts.filter((discount) => discount.discountId !== event.discountId),
      }));
    case "PriceCorrected":
      return whenOpen(state, (cart) => ({
        ...cart,
        items: cart.items.map((line) =>
          line.sku === event.sku ? { ...line, unitPriceCents: event.unitPriceCents } : line,
        ),
      }));
    case "CheckedOut":
      // The event's copy of the cart is what was sold; it wins over the state it was decided on.
      return whenOpen(state, (cart) => {
        const customer = event.customer ?? cart.customer;
        return {
          status: "checked_out",
          cartId: cart.cartId,
          items: sortedLines(event.items),
          discounts: sortedDiscounts(event.discounts),
          totalCents: event.totalCents,
          ...(customer === undefined ? {} : { customer: { ...customer } }),
        };
      });
    case "CustomerAttached":
      return whenOpen(state, (cart) => ({ ...cart, customer: { ...event.customer } }));
    default:
      return assertNever(event);
  }
}

export function fold(events: readonly CartEvent[], state: CartState = initialCartState()): CartState {
  return events.reduce(evolve, state);
}

function whenOpen(state: CartState, apply: (cart: OpenCartState) => CartState): CartState {
  return state.status === "open" ? apply(state) : state;
}
