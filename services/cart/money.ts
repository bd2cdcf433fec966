import { LabError } from "../platform/errors.ts";

/**
 * Money as the rules keep it (integer cents) and as stored shapes have written it (a decimal
 * string of currency units: the v1 and v3 events, the CRUD table's `unit_price` column). The
 * conversion works on the digits, never through a float: 0.29 * 100 is 28.999999999999996.
 * Shared by both designs' storage, so it lives with the rules rather than in either design.
 */
const decimalPrice = /^(\d{1,7})(?:\.(\d{1,2}))?$/;

/** "1.5" -> 150, "0.05" -> 5; at most two decimal places, or DecodeFailed. */
export function decimalToCents(price: string): number {
  const match = decimalPrice.exec(price);
  if (match === null) {
    throw new LabError("DecodeFailed", `price ${JSON.stringify(price)} is not a decimal with at most two places`);
  }
  const units = Number(match[1]);
  const cents = Number((match[2] ?? "").padEnd(2, "0"));
  return units * 100 + cents;
}

/** The exact decimal of a cents amount, two places always ("1.50", "0.05"): the inverse of `decimalToCents`. */
export function centsToDecimal(cents: number): string {
  if (!(Number.isSafeInteger(cents) && cents >= 0)) {
    throw new LabError("DecodeFailed", `price ${JSON.stringify(cents)} is not a whole, non-negative number of cents`);
  }
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

