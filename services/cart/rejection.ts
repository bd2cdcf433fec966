/**
 * Why a cart command was refused. Rejections are data returned by `decide` and `parseCommand`,
 * never thrown: both designs must write nothing for them and report the same code.
 */
export const cartErrorCodes = [
  "ValidationFailed",
  "UnknownCommand",
  "CartNotFound",
  "CartCheckedOut",
  "PriceMismatch",
  "QuantityLimit",
  "ItemNotInCart",
  "DiscountConflict",
  "DiscountNotFound",
  "EmptyCart",
] as const;

export type CartErrorCode = (typeof cartErrorCodes)[number];

export interface FieldError {
  /** Dotted path of the offending field, e.g. `quantity` or `metadata.actor`. */
  field: string;
  message: string;
}

export interface CartRejection {
  code: CartErrorCode;
  message: string;
  /** Only for `ValidationFailed`: one entry per bad field. */
  fields?: FieldError[];
}

export function cartRejection(code: CartErrorCode, message: string, fields?: FieldError[]): CartRejection {
  return fields === undefined ? { code, message } : { code, message, fields };
}
