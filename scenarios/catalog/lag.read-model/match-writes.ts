import { LabError } from "../../../services/platform/errors.ts";
import { covers } from "./read-position.ts";
import type { ReadPosition } from "./read-position.ts";

/** A command that changed its cart, as the application saw it return. */
export interface MeasuredWrite {
  cartId: string;
  /** 1 for the cart's first write, 2 for its second... in the order the load issued them. */
  nth: number;
  commandType: string;
  /** `Date.now()` right after the application's commit returned. */
  committedAt: number;
  /** Where the read model stood for this cart in the one read made right after that. */
  readRightAfter: ReadPosition;
}

/** One source transaction as the read model applied it. */
export interface VisibleTransaction {
  cartId: string;
  /** `Date.now()` once the read model had applied all of it (same process, same clock as `committedAt`). */
  visibleAt: number;
  /** What a read must have reached to show it. */
  position: ReadPosition;
  /** What made it visible: the projection pass's wake-up (notification, retry, poll, more) or the consumer. */
  via: string;
  /**
   * When the feeder took it in hand, to split the lag in two: Debezium's processing time of its
   * last change (`ts_ms` of the envelope; CDC), or the start of the pass that applied it (ES).
   */
  handedOverAt: number;
}

export interface MatchedWrite extends MeasuredWrite {
  lagMs: number;
  /** The part of the lag before the feeder took the write in hand (see `handedOverAt`). */
  handOverMs: number;
  via: string;
  /** The read right after the command already showed it. */
  shownRightAfter: boolean;
}

/**
 * Pairs each write with the transaction that carried it. The load never has two commands of one
 * cart in flight, and every write is one transaction in either design (one append; one CRUD
 * transaction that always touches the carts row), so a cart's k-th write is its k-th transaction
 * in commit order. A count that differs means that premise broke: nothing is guessed, it fails.
 */
export function matchWrites(writes: readonly MeasuredWrite[], transactions: ReadonlyMap<string, readonly VisibleTransaction[]>): MatchedWrite[] {
  const writesByCart = new Map<string, MeasuredWrite[]>();
  for (const write of writes) writesByCart.set(write.cartId, [...(writesByCart.get(write.cartId) ?? []), write]);
  const matched: MatchedWrite[] = [];
  for (const [cartId, cartWrites] of writesByCart) {
    const applied = transactions.get(cartId) ?? [];
    if (applied.length !== cartWrites.length) {
      throw new LabError("ComponentFailed", `cart ${cartId}: ${cartWrites.length} writes returned but the read model applied ${applied.length} transactions`, {
        details: { cartId, writes: cartWrites.length, transactions: applied.length },
      });
    }
    for (const write of cartWrites) {
      const transaction = applied[write.nth - 1];
      if (transaction === undefined) throw new LabError("ComponentFailed", `cart ${cartId}: write ${write.nth} has no transaction`, { details: { cartId, nth: write.nth } });
      matched.push({ ...write, lagMs: transaction.visibleAt - write.committedAt, handOverMs: transaction.handedOverAt - write.committedAt, via: transaction.via, shownRightAfter: covers(write.readRightAfter, transaction.position) });
    }
  }
  for (const cartId of transactions.keys()) {
    if (!writesByCart.has(cartId)) throw new LabError("ComponentFailed", `cart ${cartId} has transactions in the read model but no write returned for it`, { details: { cartId } });
  }
  return matched;
}
