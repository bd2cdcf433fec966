/** The brief's bounds, in one place so validation and the rules cannot disagree. */
export const cartLimits = {
  maxLineQuantity: 10_000,
  maxUnitPriceCents: 100_000_000,
  minAmountCents: -100_000_000,
  maxAmountCents: -1,
  maxNameLength: 200,
  maxActorLength: 200,
  maxReasonLength: 1_000,
  /** RFC 5321's path limit: no longer address can be delivered to. */
  maxEmailLength: 254,
  maxCustomerNameLength: 200,
  maxShippingAddressLength: 500,
} as const;

/** cartId, discountId, sku and correlationId all share this shape. */
export const idPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
