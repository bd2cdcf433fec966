import type { CartView } from "../../../services/cart/index.ts";
import { BAD_CENTS, BAD_VERSION, INTENDED_CENTS, PROMOTION_ID } from "../../kit/bad-deploy.ts";
import type { WorkloadCommand } from "../../workload/cart-workload.ts";

/**
 * The commands around recover.bad-deploy's bad release (kit/bad-deploy.ts): what the shop does
 * before and after it, and the operator's fix. As data, so the runner records them as it
 * applies them.
 */
export const FIX_ACTOR = "operator";
export const FIX_REASON = `fix bad deploy ${BAD_VERSION}: a ${INTENDED_CENTS}¢ discount was applied as ${BAD_CENTS}¢`;

/** A legitimate discount of the very amount the bug produces, given before the deploy: what a finder without time or actor mistakes for the bug. */
export function goodwillDiscount(cartId: string, sku: string): WorkloadCommand {
  return {
    command: { type: "ApplyDiscount", cartId, discountId: "goodwill", sku, minQuantity: 1, amountCents: BAD_CENTS },
    metadata: { actor: "support-agent", reason: "goodwill for a late delivery" },
  };
}

export function promotionEnded(cartId: string): WorkloadCommand {
  return { command: { type: "RevokeDiscount", cartId, discountId: PROMOTION_ID }, metadata: { actor: "pricing-service", reason: "promotion ended" } };
}

export function checkOut(cartId: string): WorkloadCommand {
  return { command: { type: "CheckOut", cartId }, metadata: { actor: `customer-${cartId}` } };
}

/**
 * The operator's fix of one found discount, through the application: revoke it and apply what
 * was meant, with the same id, sku and threshold. Nothing when the cart no longer holds it at
 * the bad amount (revoked since, or found wrongly elsewhere). A checked-out cart is final in
 * both designs: the caller skips it.
 */
export function fixCommands(view: CartView, discountId: string): WorkloadCommand[] {
  const discount = view.discounts.find((candidate) => candidate.discountId === discountId);
  if (discount === undefined || discount.amountCents !== BAD_CENTS) return [];
  const metadata = { actor: FIX_ACTOR, reason: FIX_REASON };
  return [
    { command: { type: "RevokeDiscount", cartId: view.cartId, discountId }, metadata },
    { command: { type: "ApplyDiscount", cartId: view.cartId, discountId, sku: discount.sku, minQuantity: discount.minQuantity, amountCents: INTENDED_CENTS }, metadata },
  ];
}
