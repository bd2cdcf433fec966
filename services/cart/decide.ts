import { assertNever } from "./assert-never.ts";
import { cartLimits } from "./cart-limits.ts";
import type { AddItem, ApplyDiscount, AttachCustomer, CartCommand, CorrectPrice, RemoveItem, RevokeDiscount } from "./commands.ts";
import type { CartEvent } from "./events.ts";
import { cartRejection } from "./rejection.ts";
import type { CartErrorCode, CartRejection } from "./rejection.ts";
import { isErasedCustomer, sortedDiscounts, sortedLines } from "./state.ts";
import type { CartLine, CartState, OpenCartState } from "./state.ts";
import { totalCents } from "./totals.ts";

/** `events` may be empty: an accepted command that changes nothing writes nothing. */
export type DecideResult = { ok: true; events: CartEvent[] } | { ok: false; rejection: CartRejection };

/**
 * The cart's rules, shared by both designs. Pure: the command is trusted to have passed
 * `parseCommand` (value ranges are validation's job); a broken rule is a returned rejection.
 * It throws only when the caller pairs a command with another cart's state, which is a bug in
 * the caller rather than something a user can cause.
 */
export function decide(command: CartCommand, state: CartState): DecideResult {
  if (state.status !== "empty" && state.cartId !== command.cartId) {
    throw new Error(`decide got the state of cart ${state.cartId} for a command on cart ${command.cartId}`);
  }
  if (state.status === "checked_out") {
    return rejected("CartCheckedOut", `Cart ${command.cartId} is checked out; it accepts no more commands.`);
  }
  if (state.status === "empty") {
    // Only AddItem opens a cart: anything else on a cart nobody filled refers to nothing.
    if (command.type === "AddItem") return addItem(command, []);
    return rejected("CartNotFound", `Cart ${command.cartId} does not exist.`);
  }
  switch (command.type) {
    case "AddItem":
      return addItem(command, state.items);
    case "RemoveItem":
      return removeItem(command, state);
    case "ApplyDiscount":
      return applyDiscount(command, state);
    case "RevokeDiscount":
      return revokeDiscount(command, state);
    case "CorrectPrice":
      return correctPrice(command, state);
    case "CheckOut":
      if (state.items.length === 0) {
        return rejected("EmptyCart", `Cart ${command.cartId} has no items to check out.`);
      }
      return accepted({
        type: "CheckedOut",
        cartId: command.cartId,
        items: sortedLines(state.items),
        discounts: sortedDiscounts(state.discounts),
        totalCents: totalCents(state.items, state.discounts),
        // Only when there is one, so a cart without a customer checks out exactly as before.
        ...(state.customer === undefined ? {} : { customer: { ...state.customer } }),
      });
    case "AttachCustomer":
      return attachCustomer(command, state);
    default:
      return assertNever(command);
  }
}

function addItem(command: AddItem, items: readonly CartLine[]): DecideResult {
  const line = items.find((candidate) => candidate.sku === command.sku);
  if (line !== undefined && line.unitPriceCents !== command.unitPriceCents) {
    return rejected(
      "PriceMismatch",
      `Cart ${command.cartId} holds ${command.sku} at ${line.unitPriceCents}¢, not ${command.unitPriceCents}¢.`,
    );
  }
  const resultingQuantity = (line?.quantity ?? 0) + command.quantity;
  if (resultingQuantity > cartLimits.maxLineQuantity) {
    return rejected(
      "QuantityLimit",
      `Line ${command.sku} of cart ${command.cartId} would hold ${resultingQuantity}; ` +
        `the limit is ${cartLimits.maxLineQuantity}.`,
    );
  }
  return accepted({
    type: "ItemAdded",
    cartId: command.cartId,
    sku: command.sku,
    name: command.name,
    unitPriceCents: command.unitPriceCents,
    quantity: command.quantity,
  });
}

function removeItem(command: RemoveItem, cart: OpenCartState): DecideResult {
  if (!hasLine(cart, command.sku)) return itemNotInCart(command.cartId, command.sku);
  return accepted({ type: "ItemRemoved", cartId: command.cartId, sku: command.sku });
}

function applyDiscount(command: ApplyDiscount, cart: OpenCartState): DecideResult {
  const existing = cart.discounts.find((discount) => discount.discountId === command.discountId);
  if (existing !== undefined) {
    const same =
      existing.sku === command.sku &&
      existing.minQuantity === command.minQuantity &&
      existing.amountCents === command.amountCents;
    // A retried request must not fail or write twice; a different discount under the same id must not win silently.
    if (same) return accepted();
    return rejected(
      "DiscountConflict",
      `Discount ${command.discountId} is already applied to cart ${command.cartId} with other terms.`,
    );
  }
  return accepted({
    type: "DiscountApplied",
    cartId: command.cartId,
    discountId: command.discountId,
    sku: command.sku,
    minQuantity: command.minQuantity,
    amountCents: command.amountCents,
  });
}

function revokeDiscount(command: RevokeDiscount, cart: OpenCartState): DecideResult {
  if (!cart.discounts.some((discount) => discount.discountId === command.discountId)) {
    return rejected("DiscountNotFound", `Cart ${command.cartId} has no discount ${command.discountId}.`);
  }
  return accepted({ type: "DiscountRevoked", cartId: command.cartId, discountId: command.discountId });
}

function correctPrice(command: CorrectPrice, cart: OpenCartState): DecideResult {
  if (!hasLine(cart, command.sku)) return itemNotInCart(command.cartId, command.sku);
  // Recorded even when the price is unchanged: an operator's correction is part of the audit trail.
  return accepted({
    type: "PriceCorrected",
    cartId: command.cartId,
    sku: command.sku,
    unitPriceCents: command.unitPriceCents,
  });
}

/**
 * Attaching the same data again is a retry: accepted, nothing written. Other data (another
 * customer, or the same one with a corrected address) replaces it: until checkout the cart's
 * customer is the shop's to change, as a shopper logs in or fixes a typo, and only the last one
 * is sold to. A forgotten customer attached again is new data, so it is written again.
 */
function attachCustomer(command: AttachCustomer, cart: OpenCartState): DecideResult {
  const current = cart.customer;
  if (
    current !== undefined &&
    !isErasedCustomer(current) &&
    current.customerId === command.customerId &&
    current.email === command.email &&
    current.name === command.name &&
    current.shippingAddress === command.shippingAddress
  ) {
    return accepted();
  }
  return accepted({
    type: "CustomerAttached",
    cartId: command.cartId,
    customer: { customerId: command.customerId, email: command.email, name: command.name, shippingAddress: command.shippingAddress },
  });
}

function hasLine(cart: OpenCartState, sku: string): boolean {
  return cart.items.some((line) => line.sku === sku);
}

function itemNotInCart(cartId: string, sku: string): DecideResult {
  return rejected("ItemNotInCart", `Cart ${cartId} has no line for ${sku}.`);
}

function accepted(...events: CartEvent[]): DecideResult {
  return { ok: true, events };
}

function rejected(code: CartErrorCode, message: string): DecideResult {
  return { ok: false, rejection: cartRejection(code, message) };
}
