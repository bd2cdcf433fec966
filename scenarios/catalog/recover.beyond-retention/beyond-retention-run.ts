import type { CartView } from "../../../services/cart/index.ts";
import type { ChangeEvent } from "../../../services/crud-cdc/change-event.ts";
import { crudTableNames } from "../../../services/crud-cdc/crud/crud-tables.ts";
import { LabError } from "../../../services/platform/errors.ts";
import { BAD_CENTS } from "../../kit/bad-deploy.ts";
import type { CartRecord } from "../../kit/cart-record.ts";
import type { SubjectId } from "../../model/subjects.ts";
import type { WorkloadCommand } from "../../workload/cart-workload.ts";

/** recover.beyond-retention's working state for one run. */
export interface BeyondRetentionRun {
  workload: WorkloadCommand[];
  record: CartRecord;
  /** Just before the bad change (epoch ms): the moment to restore to. */
  validAt: number | null;
  validViews: Map<string, CartView | null>;
  /** Carts the bad change hit. */
  affected: string[];
  /** A moment after the bad change committed (epoch ms): everything committed before it is the workload or the bad change. */
  badChangeAt: number | null;
  /** Per subject: the affected carts whose past its history still holds. */
  restorable: Map<SubjectId, Set<string>>;
  /** Carts the application keeps serving while the clock runs. */
  backgroundCarts: number;
}

export const shopperCart = (index: number): string => `shop-${index}`;

export function requireMark(mark: number | null, what: string): number {
  if (mark === null) throw new LabError("ComponentFailed", `${what} was never marked`);
  return mark;
}

/** The records of the bad change: the −1000¢ discount rows of the affected carts. */
export function badChangeRecords(events: readonly ChangeEvent[], affected: ReadonlySet<string>): ChangeEvent[] {
  return events.filter(
    (event) =>
      event.kind === "row" &&
      event.source.table === crudTableNames.cartDiscounts &&
      event.after !== null &&
      affected.has(String(event.after["cart_id"])) &&
      Number(event.after["amount_cents"]) === BAD_CENTS,
  );
}

/** The affected carts a read still holds a record of the bad change for. */
export function cartsWithBadChange(events: readonly ChangeEvent[], affected: ReadonlySet<string>): Set<string> {
  return new Set(badChangeRecords(events, affected).map((event) => String(event.kind === "row" ? event.after?.["cart_id"] : "")));
}

/** Two commands on a cart of its own, touching every state table, so the topics keep fresh records at their end. */
export function backgroundCommands(index: number): WorkloadCommand[] {
  const cartId = `other-${index}`;
  const customer = { actor: `customer-${cartId}` };
  return [
    { command: { type: "AddItem", cartId, sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 2 }, metadata: customer },
    { command: { type: "ApplyDiscount", cartId, discountId: "promo-b", sku: "kiwi", minQuantity: 1, amountCents: -20 }, metadata: { actor: "pricing-service", reason: "weekly promotion" } },
  ];
}
