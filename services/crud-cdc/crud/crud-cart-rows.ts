import { z } from "zod";
// The cart module's own ordering (code points, not locale), so both designs list lines alike.
import { sortedDiscounts, sortedLines } from "../../cart/index.ts";
import { erasedCustomer } from "../../cart/index.ts";
import type { CartCustomer, CartDiscount, CartLine, CartState } from "../../cart/index.ts";
import { centsToDecimal, decimalToCents } from "../../cart/money.ts";
import { LabError } from "../../platform/errors.ts";

/** A `carts` row: the cart's status and, once checked out, what was sold for. */
export interface CartRow {
  cartId: string;
  status: "open" | "checked_out";
  totalCents: number | null;
  /** Absent until a customer is attached; an ErasedCustomer once the personal columns were cleared. */
  customer?: CartCustomer;
}

/** The carts columns that hold the customer, in the order the select lists them. */
export const cartCustomerColumns = ["customer_id", "customer_email", "customer_name", "shipping_address"] as const;

/**
 * The columns a line's price has lived in: `unit_price_cents` (integer cents) until the
 * decimal-price release, then `unit_price` (numeric(12,2), currency units). A `cart_items` row
 * (and so a change event of it) holds one of them or, between the expand and the contract
 * migrations, both.
 */
export type PriceColumn = "unit_price_cents" | "unit_price";

/** A release of the CRUD application, as far as the price is concerned: the column(s) it writes and the one it reads. */
export interface CrudPriceColumns {
  write: readonly PriceColumn[];
  read: PriceColumn;
}

/** Today's release: cents only. */
export const centsPriceColumns: CrudPriceColumns = { write: ["unit_price_cents"], read: "unit_price_cents" };
/** The expand phase: both columns written, the old one still read until the backfill is done. */
export const dualWritePriceColumns: CrudPriceColumns = { write: ["unit_price_cents", "unit_price"], read: "unit_price_cents" };
/** After the contract: the decimal column only. */
export const decimalPriceColumns: CrudPriceColumns = { write: ["unit_price"], read: "unit_price" };

/** The price as the columns a release writes hold it. */
export function priceColumnValues(unitPriceCents: number, columns: CrudPriceColumns): { unit_price_cents?: number; unit_price?: string } {
  if (columns.write.length === 0) throw new LabError("UsageInvalid", "a release must write at least one price column");
  return Object.fromEntries(columns.write.map((column) => [column, column === "unit_price" ? centsToDecimal(unitPriceCents) : unitPriceCents]));
}

/** Column values of a `cart_items` row, as knex inserts them. */
export interface CartItemRecord {
  cart_id: string;
  sku: string;
  name: string;
  unit_price_cents?: number;
  unit_price?: string;
  quantity: number;
}

/** Column values of a `cart_discounts` row, as knex inserts them. */
export interface CartDiscountRecord {
  cart_id: string;
  discount_id: string;
  sku: string;
  min_quantity: number;
  amount_cents: number;
}

// bigint arrives as a string from node-postgres unless someone set a type parser; take either,
// so this module does not depend on (or change) how the process parses int8.
const cents = z
  .union([z.number(), z.string().regex(/^-?\d{1,16}$/).transform(Number)])
  .pipe(z.int({ error: "must be a safe integer" }));

// nullish: a change event written before the customer columns existed has none of them.
const optionalText = z.string().nullish().transform((value) => value ?? null);

const cartRowSchema = z
  .object({
    cart_id: z.string(),
    status: z.enum(["open", "checked_out"]),
    total_cents: cents.nullable(),
    customer_id: optionalText,
    customer_email: optionalText,
    customer_name: optionalText,
    shipping_address: optionalText,
  })
  .refine((row) => (row.status === "checked_out") === (row.total_cents !== null), {
    error: "total_cents must be set exactly when the cart is checked out",
  })
  .transform((row): CartRow => {
    const customer = customerOf(row);
    // Only when there is one, so a row without a customer decodes as it did before the columns.
    return { cartId: row.cart_id, status: row.status, totalCents: row.total_cents, ...(customer === null ? {} : { customer }) };
  });

function customerOf(row: { customer_id: string | null; customer_email: string | null; customer_name: string | null; shipping_address: string | null }): CartCustomer | null {
  if (row.customer_id === null) return null;
  // The erasure clears all three together (a CHECK keeps them so); any one missing reads as erased.
  if (row.customer_email === null || row.customer_name === null || row.shipping_address === null) return erasedCustomer(row.customer_id);
  return { customerId: row.customer_id, email: row.customer_email, name: row.customer_name, shippingAddress: row.shipping_address };
}

/** The carts columns a CustomerAttached writes. */
export function cartCustomerRecord(customer: CartCustomer): Record<(typeof cartCustomerColumns)[number], string | null> {
  return {
    customer_id: customer.customerId,
    customer_email: customer.email,
    customer_name: customer.name,
    shipping_address: customer.shippingAddress,
  };
}

// numeric arrives as a string both from node-postgres and from Debezium (decimal.handling.mode=string).
const decimal = z
  .string()
  .regex(/^\d{1,7}(?:\.\d{1,2})?$/, { error: "must be a decimal with at most two places" })
  .transform((price) => decimalToCents(price));

/** A reader built for one layout of `cart_items`, as a consumer written before (or only after) the change is. */
export type CartLineLayout = "cents" | "decimal";

const lineReaders: { [L in CartLineLayout | "every"]: z.ZodType<CartLine> } = {
  cents: z
    .object({ sku: z.string(), name: z.string(), unit_price_cents: cents, quantity: z.int() })
    .transform((row): CartLine => ({ sku: row.sku, name: row.name, unitPriceCents: row.unit_price_cents, quantity: row.quantity })),
  decimal: z
    .object({ sku: z.string(), name: z.string(), unit_price: decimal, quantity: z.int() })
    .transform((row): CartLine => ({ sku: row.sku, name: row.name, unitPriceCents: row.unit_price, quantity: row.quantity })),
  // The current code knows every layout the table has had. A row holding both columns (between
  // expand and contract) must say the same price in both: one that does not was written by a
  // release that kept only one of them up to date, and no reader can tell which one is right.
  every: z
    .object({ sku: z.string(), name: z.string(), unit_price_cents: cents.nullish(), unit_price: decimal.nullish(), quantity: z.int() })
    .refine((row) => row.unit_price_cents != null || row.unit_price != null, { error: "has neither unit_price_cents nor unit_price" })
    .refine((row) => row.unit_price_cents == null || row.unit_price == null || row.unit_price_cents === row.unit_price, {
      error: "unit_price_cents and unit_price disagree",
    })
    .transform((row): CartLine => ({ sku: row.sku, name: row.name, unitPriceCents: row.unit_price_cents ?? row.unit_price ?? 0, quantity: row.quantity })),
};

const cartDiscountSchema = z
  .object({ discount_id: z.string(), sku: z.string(), min_quantity: z.int(), amount_cents: cents })
  .transform(
    (row): CartDiscount => ({
      discountId: row.discount_id,
      sku: row.sku,
      minQuantity: row.min_quantity,
      amountCents: row.amount_cents,
    }),
  );

function decodeRow<T>(schema: z.ZodType<T>, table: string, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "row"} ${issue.message}`);
  throw new LabError("DecodeFailed", `unreadable ${table} row: ${problems.join("; ")}`, {
    details: { table, row: raw, problems },
  });
}

export function decodeCartRow(raw: unknown): CartRow {
  return decodeRow(cartRowSchema, "carts", raw);
}

/** A `cart_items` row in any layout the table has had: what the current code reads rows and row images with. */
export function decodeCartLine(raw: unknown): CartLine {
  return decodeRow(lineReaders.every, "cart_items", raw);
}

/** A `cart_items` row read by a reader that knows one layout only (`every`: the current code). */
export function decodeCartLineAs(layout: CartLineLayout | "every", raw: unknown): CartLine {
  return decodeRow(lineReaders[layout], "cart_items", raw);
}

export function decodeCartDiscount(raw: unknown): CartDiscount {
  return decodeRow(cartDiscountSchema, "cart_discounts", raw);
}

/**
 * The rules' state from the rows. A carts row with no lines is an open, empty cart (every line
 * was removed), not an unknown one: only a missing carts row means nothing happened to it.
 */
export function cartStateFromRows(cart: CartRow | null, lines: readonly CartLine[], discounts: readonly CartDiscount[]): CartState {
  if (cart === null) return { status: "empty" };
  const items = sortedLines(lines);
  const sortedDiscountList = sortedDiscounts(discounts);
  // Only when there is one, so a cart without a customer is deep-equal to the one evolve builds.
  const customer = cart.customer === undefined ? {} : { customer: cart.customer };
  if (cart.status === "open") return { status: "open", cartId: cart.cartId, items, discounts: sortedDiscountList, ...customer };
  if (cart.totalCents === null) {
    throw new LabError("DecodeFailed", `cart ${cart.cartId} is checked out without a total`, { details: { cartId: cart.cartId } });
  }
  return { status: "checked_out", cartId: cart.cartId, items, discounts: sortedDiscountList, totalCents: cart.totalCents, ...customer };
}

export function cartItemRecord(cartId: string, line: CartLine, columns: CrudPriceColumns = centsPriceColumns): CartItemRecord {
  return { cart_id: cartId, sku: line.sku, name: line.name, ...priceColumnValues(line.unitPriceCents, columns), quantity: line.quantity };
}

export function cartDiscountRecord(cartId: string, discount: CartDiscount): CartDiscountRecord {
  return {
    cart_id: cartId,
    discount_id: discount.discountId,
    sku: discount.sku,
    min_quantity: discount.minQuantity,
    amount_cents: discount.amountCents,
  };
}
