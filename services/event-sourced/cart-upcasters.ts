import { LabError } from "../platform/errors.ts";
import type { JsonObject } from "./event-journal.ts";
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

const decimalPrice = /^(\d{1,7})(?:\.(\d{1,2}))?$/;

export function decimalToCents(price: string): number {
  const match = decimalPrice.exec(price);
  if (match === null) {
    throw new LabError("DecodeFailed", `price ${JSON.stringify(price)} is not a decimal with at most two places`);
  }
  const units = Number(match[1]);
  const cents = Number((match[2] ?? "").padEnd(2, "0"));
  return units * 100 + cents;
}

export function createCartUpcasters(): UpcasterRegistry {
  return createUpcasterRegistry([itemAddedV1ToV2]);
}
