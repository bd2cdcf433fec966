/** The brief's bounds, in one place so validation and the rules cannot disagree. */
export const cartLimits = {
  maxLineQuantity: 10_000,
  maxUnitPriceCents: 100_000_000,
  minAmountCents: -100_000_000,
  maxAmountCents: -1,
  maxNameLength: 200,
  maxActorLength: 200,
  maxReasonLength: 1_000,
} as const;

/** cartId, discountId, sku and correlationId all share this shape. */
export const idPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
