import type { WorkloadCommand } from "../workload/cart-workload.ts";

/**
 * The bad release two recovery scenarios share, as data: while it was live, the checkout
 * service sent every −10¢ discount as −1000¢. The runner keeps the commands as they were meant,
 * so it knows what each cart would hold without the bug.
 */
export const BAD_VERSION = "checkout-service@v2.3.1-bad";
export const INTENDED_CENTS = -10;
export const BAD_CENTS = -1000;

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
