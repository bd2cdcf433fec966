import type { RunSize } from "../../model/scenario.ts";
import type { WorkloadCommand } from "../../workload/cart-workload.ts";

/**
 * The lengths (changes of one cart) at which the cart is loaded, per run size: the curve's x
 * values. The cart grows through them in order, so each is measured on the same cart, and the
 * last is the figure the verdict reads. The brief's 10,000 changes are the `large` size: the
 * journal without snapshots folds its whole stream before every command, so growing its cart
 * costs the square of the length (1,000 -> 10,000 took 604 s on two busy cores), which alone
 * would take the default run past its five minutes. `small` and `default` stop at 3,000.
 */
export const STREAM_LENGTHS: Record<RunSize, readonly [number, number, number]> = {
  small: [100, 1_000, 3_000],
  default: [100, 1_000, 3_000],
  large: [100, 1_000, 10_000],
};

const SHOPPER = { actor: "long-stream-shopper" } as const;
const APPLE = { sku: "apple", name: "Apple", unitPriceCents: 120 } as const;
const PEAR = { sku: "pear", name: "Pear", unitPriceCents: 80 } as const;
/** Commands per turn of the cycle after the opening AddItem. */
const CYCLE = 7;

/**
 * Change `index` (0-based) of the long cart: an AddItem that opens it, then a cycle of seven
 * commands that the rules accept at any length, each decided into exactly one event, so that
 * version v is the state after command v in both designs (one event, one transaction). The
 * apple line grows by one a turn (about 1,430 at 10,000 changes, far below the 10,000 line
 * limit); the pear line, its price and a discount come and go, so the cart's state stays
 * small while its history grows.
 */
export function longStreamCommand(cartId: string, index: number): WorkloadCommand {
  if (index === 0) return { command: { type: "AddItem", cartId, ...APPLE, quantity: 1 }, metadata: SHOPPER };
  const turn = Math.floor((index - 1) / CYCLE);
  const pearPrice = PEAR.unitPriceCents + (turn % 20);
  const discountId = `turn-${turn}`;
  const position = (index - 1) % CYCLE;
  switch (position) {
    case 0:
      return { command: { type: "AddItem", cartId, ...PEAR, quantity: 1 }, metadata: SHOPPER };
    case 1:
      return { command: { type: "AddItem", cartId, ...APPLE, quantity: 1 }, metadata: SHOPPER };
    case 2:
      return { command: { type: "ApplyDiscount", cartId, discountId, sku: APPLE.sku, minQuantity: 2, amountCents: -10 }, metadata: { actor: "pricing-service" } };
    case 3:
      return { command: { type: "CorrectPrice", cartId, sku: PEAR.sku, unitPriceCents: pearPrice }, metadata: { actor: "operator", reason: "price correction" } };
    case 4:
      // At the corrected price: AddItem must match the line's price.
      return { command: { type: "AddItem", cartId, ...PEAR, unitPriceCents: pearPrice, quantity: 2 }, metadata: SHOPPER };
    case 5:
      return { command: { type: "RevokeDiscount", cartId, discountId }, metadata: { actor: "pricing-service" } };
    default:
      return { command: { type: "RemoveItem", cartId, sku: PEAR.sku }, metadata: SHOPPER };
  }
}
