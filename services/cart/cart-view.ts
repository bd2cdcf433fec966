import { assertNever } from "./assert-never.ts";
import { sortedDiscounts, sortedLines } from "./state.ts";
import type { CartDiscount, CartLine, CartState } from "./state.ts";
import { subtotalCents, totalCents } from "./totals.ts";

/** The `state --json` contract (brief section 6): what every design must print identically. */
export interface CartView {
  cartId: string;
  status: "open" | "checked_out";
  items: CartLine[];
  discounts: CartDiscount[];
  subtotalCents: number;
  totalCents: number;
}

/** `null` for a cart nothing happened to: the caller decides how to say "not found". */
export function toCartView(state: CartState): CartView | null {
  switch (state.status) {
    case "empty":
      return null;
    case "open":
      return {
        cartId: state.cartId,
        status: "open",
        items: sortedLines(state.items).map(copyLine),
        discounts: sortedDiscounts(state.discounts).map(copyDiscount),
        subtotalCents: subtotalCents(state.items),
        totalCents: totalCents(state.items, state.discounts),
      };
    case "checked_out":
      return {
        cartId: state.cartId,
        status: "checked_out",
        items: sortedLines(state.items).map(copyLine),
        discounts: sortedDiscounts(state.discounts).map(copyDiscount),
        subtotalCents: subtotalCents(state.items),
        totalCents: state.totalCents,
      };
    default:
      return assertNever(state);
  }
}

// Copies with a fixed key order, so printed JSON is byte-identical whatever built the state
// (evolve, CRUD rows, a snapshot).
function copyLine(line: CartLine): CartLine {
  return { sku: line.sku, name: line.name, unitPriceCents: line.unitPriceCents, quantity: line.quantity };
}

function copyDiscount(discount: CartDiscount): CartDiscount {
  return {
    discountId: discount.discountId,
    sku: discount.sku,
    minQuantity: discount.minQuantity,
    amountCents: discount.amountCents,
  };
}
