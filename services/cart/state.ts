export interface CartLine {
  sku: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
}

export interface CartDiscount {
  discountId: string;
  sku: string;
  minQuantity: number;
  amountCents: number;
}

/** A customer's personal data as given: what the erasure scenario looks for everywhere. */
export interface KnownCustomer {
  customerId: string;
  email: string;
  name: string;
  shippingAddress: string;
}

/**
 * A customer who was forgotten: the id (a pseudonym) stays so history still says "a customer
 * was attached here", the personal fields are gone for good and say so.
 */
export interface ErasedCustomer {
  customerId: string;
  email: null;
  name: null;
  shippingAddress: null;
  erased: true;
}

export type CartCustomer = KnownCustomer | ErasedCustomer;

export function isErasedCustomer(customer: CartCustomer): customer is ErasedCustomer {
  return "erased" in customer && customer.erased;
}

export function erasedCustomer(customerId: string): ErasedCustomer {
  return { customerId, email: null, name: null, shippingAddress: null, erased: true };
}

/** Nothing has happened to this cartId yet. */
export interface InitialCartState {
  status: "empty";
}

export interface OpenCartState {
  status: "open";
  cartId: string;
  items: CartLine[];
  discounts: CartDiscount[];
  /** Absent until AttachCustomer; never part of the `state --json` view. */
  customer?: CartCustomer;
}

export interface CheckedOutCartState {
  status: "checked_out";
  cartId: string;
  items: CartLine[];
  discounts: CartDiscount[];
  /** As recorded at checkout, so a later change to the total rules cannot rewrite a sale. */
  totalCents: number;
  customer?: CartCustomer;
}

/** Plain JSON on purpose: both designs snapshot, compare and print it as is. */
export type CartState = InitialCartState | OpenCartState | CheckedOutCartState;

export function initialCartState(): CartState {
  return { status: "empty" };
}

/**
 * Code-unit order rather than `localeCompare`: it must not depend on the machine's locale, and it
 * matches PostgreSQL's "C" collation for the ASCII ids the validation allows.
 */
function compareCodeUnits(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

export function sortedLines(items: readonly CartLine[]): CartLine[] {
  return [...items].sort((a, b) => compareCodeUnits(a.sku, b.sku));
}

export function sortedDiscounts(discounts: readonly CartDiscount[]): CartDiscount[] {
  return [...discounts].sort((a, b) => compareCodeUnits(a.discountId, b.discountId));
}
