import type { CartView } from "../../../services/cart/index.ts";
import type { WorkloadCommand } from "../../workload/cart-workload.ts";

/**
 * The bug of recover.bad-deploy and its fix, as data: a release of the checkout service sent
 * every −10¢ discount as −1000¢. The runner keeps the commands as they were meant, so it knows
 * what each cart would hold without the bug.
 */
export const BAD_VERSION = "checkout-service@v2.3.1-bad";
export const INTENDED_CENTS = -10;
export const BAD_CENTS = -1000;
export const FIX_ACTOR = "operator";
export const FIX_REASON = `fix bad deploy ${BAD_VERSION}: a ${INTENDED_CENTS}¢ discount was applied as ${BAD_CENTS}¢`;

/** The weekly promotion the checkout service applies to every open cart while the bad version runs. */
export const PROMOTION_ID = "weekly-10";

/** The command as the bad version sent it; `buggy` when the bug changed it. */
export function throughBadDeploy(entry: WorkloadCommand): { entry: WorkloadCommand; buggy: boolean } {
  const { command } = entry;
  if (command["type"] !== "ApplyDiscount" || command["amountCents"] !== INTENDED_CENTS) return { entry, buggy: false };
  return { entry: { command: { ...command, amountCents: BAD_CENTS }, metadata: { ...entry.metadata, actor: BAD_VERSION } }, buggy: true };
}

export function weeklyPromotion(cartId: string, sku: string): WorkloadCommand {
  return {
    command: { type: "ApplyDiscount", cartId, discountId: PROMOTION_ID, sku, minQuantity: 1, amountCents: INTENDED_CENTS },
    metadata: { actor: "checkout-service", reason: "weekly promotion" },
  };
}

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
