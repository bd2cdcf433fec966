import { SIZES } from "../../model/scenario.ts";
import type { RunSize } from "../../model/scenario.ts";
import type { WorkloadCommand } from "../../workload/cart-workload.ts";

/**
 * The workload of erase.customer: customers with personal data made of marker strings that
 * appear nowhere else (so a text search cannot mistake them), each with one cart checked out
 * and one left open, and carts nobody attached a customer to. Pure: the seed and size alone
 * decide it.
 */
export interface ShopCustomer {
  customerId: string;
  email: string;
  name: string;
  shippingAddress: string;
  /** Carts of this customer: [checked out, open]. */
  carts: [string, string];
}

export interface EraseWorkload {
  customers: ShopCustomer[];
  /** Raw commands in the order the shop sends them, each with its metadata. */
  commands: WorkloadCommand[];
  /** The customer the operator is asked to forget. */
  forgotten: ShopCustomer;
  /** A customer who is not forgotten: the erase must leave their data where it was. */
  control: ShopCustomer;
}

/**
 * Commands added to the open carts of the first two customers (the forgotten one and the
 * control), so their streams cross the journal's default snapshot interval (100): a snapshot
 * then holds the customer, and the erasure has to deal with it.
 */
export const LONG_CART_COMMANDS = 100;

export function customerMarkers(customer: ShopCustomer): string[] {
  return [customer.email, customer.shippingAddress];
}

export function eraseWorkload(seed: number, size: RunSize): EraseWorkload {
  const count = 3 * SIZES[size];
  const customers: ShopCustomer[] = Array.from({ length: count }, (_, index) => {
    const n = index + 1;
    return {
      customerId: `cust-${seed}-${n}`,
      email: `erase-${seed}-${n}@example.test`,
      name: `Customer erase-${seed}-${n}`,
      shippingAddress: `${n} Erase-${seed}-${n} Street, Testtown`,
      carts: [`erase-${n}-sold`, `erase-${n}-open`],
    };
  });
  const metadata = { actor: "shop" };
  const commands: EraseWorkload["commands"] = [];
  for (const [index, customer] of customers.entries()) {
    const [sold, open] = customer.carts;
    for (const cartId of [sold, open]) {
      commands.push({ command: { type: "AddItem", cartId, sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 2 }, metadata });
      commands.push({
        command: { type: "AttachCustomer", cartId, customerId: customer.customerId, email: customer.email, name: customer.name, shippingAddress: customer.shippingAddress },
        metadata,
      });
      commands.push({ command: { type: "ApplyDiscount", cartId, discountId: "loyal", sku: "banana", minQuantity: 2, amountCents: -10 }, metadata });
    }
    commands.push({ command: { type: "AddItem", cartId: sold, sku: "mango", name: "Mango", unitPriceCents: 200, quantity: 1 }, metadata });
    commands.push({ command: { type: "CheckOut", cartId: sold }, metadata });
    if (index < 2) {
      for (let n = 0; n < LONG_CART_COMMANDS; n += 1) {
        commands.push({ command: { type: "AddItem", cartId: open, sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 1 }, metadata });
      }
    }
  }
  // A guest cart: checked out without a customer, as before this command existed.
  commands.push({ command: { type: "AddItem", cartId: "erase-guest", sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 1 }, metadata });
  commands.push({ command: { type: "CheckOut", cartId: "erase-guest" }, metadata });
  const [forgotten, control] = customers;
  if (forgotten === undefined || control === undefined) throw new Error("erase.customer needs at least two customers");
  return { customers, commands, forgotten, control };
}

/** Checkouts the workload makes: one per customer and the guest's. */
export function checkoutCount(workload: EraseWorkload): number {
  return workload.customers.length + 1;
}
