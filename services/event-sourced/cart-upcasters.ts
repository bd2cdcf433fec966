import { LabError } from "../platform/errors.ts";
import type { JsonObject } from "./event-journal.ts";
import { centsToDecimal, decimalToCents } from "../cart/money.ts";
import { createUpcasterRegistry } from "./upcasters.ts";
import type { Upcaster, UpcasterRegistry } from "./upcasters.ts";

/**
 * ItemAdded v1, as an earlier release wrote it: the unit price as a decimal string of currency
 * units (`"price": "1.50"`). v2 holds integer cents (`"unitPriceCents": 150`). The conversion is
 * done on the digits, never through a float: 0.29 * 100 is 28.999999999999996.
 */
export const itemAddedV1ToV2: Upcaster = {
  eventType: "ItemAdded",
  fromSchemaVersion: 1,
  upcast(data: JsonObject): JsonObject {
    const { price, ...rest } = data;
    if (typeof price !== "string") {
      throw new LabError("DecodeFailed", `ItemAdded v1 needs price as a decimal string, got ${JSON.stringify(price)}`);
    }
    return { ...rest, unitPriceCents: decimalToCents(price) };
  },
};

/**
 * ItemAdded v3, as the decimal-price release writes it: the price renamed to `unitPrice` and
 * retyped to a decimal string of currency units (`"unitPrice": "1.50"`). Stored v2 events keep
 * their cents; this step lets a reader built for v3 read them, exactly (cents and two-place
 * decimals map one to one).
 */
export const itemAddedV2ToV3: Upcaster = {
  eventType: "ItemAdded",
  fromSchemaVersion: 2,
  upcast: (data) => centsFieldToDecimal("ItemAdded v2", data),
};

/** PriceCorrected v2: the same rename and retype as ItemAdded v3. */
export const priceCorrectedV1ToV2: Upcaster = {
  eventType: "PriceCorrected",
  fromSchemaVersion: 1,
  upcast: (data) => centsFieldToDecimal("PriceCorrected v1", data),
};

function centsFieldToDecimal(shape: string, data: JsonObject): JsonObject {
  const { unitPriceCents, ...rest } = data;
  if (typeof unitPriceCents !== "number") {
    throw new LabError("DecodeFailed", `${shape} needs unitPriceCents as a number, got ${JSON.stringify(unitPriceCents)}`);
  }
  return { ...rest, unitPrice: centsToDecimal(unitPriceCents) };
}

/** What today's journal reads with: every stored ItemAdded reaches v2 (cents). */
export function createCartUpcasters(): UpcasterRegistry {
  return createUpcasterRegistry([itemAddedV1ToV2]);
}

/**
 * What the decimal-price release reads with: the whole chain, so ItemAdded v1 and v2 reach v3
 * and PriceCorrected v1 reaches v2. Each step knows only its own version; history is never rewritten.
 */
export function createDecimalPriceUpcasters(): UpcasterRegistry {
  return createUpcasterRegistry([itemAddedV1ToV2, itemAddedV2ToV3, priceCorrectedV1ToV2]);
}
