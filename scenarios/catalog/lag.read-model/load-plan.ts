import { createCartRecord, recordCommand } from "../../kit/cart-record.ts";
import type { CartRecord } from "../../kit/cart-record.ts";
import type { WorkloadCommand } from "../../workload/cart-workload.ts";

/** One workload command, with what the rules say it does: decided once, before any subject runs. */
export interface PlannedCommand {
  entry: WorkloadCommand;
  /** The cart it names (a command invalid at the edge may name none): the load's lane. */
  lane: string;
  accepted: boolean;
  /** Accepted and changed the cart: one transaction in either design, one lag sample. */
  writes: boolean;
  /** For a write: 1 for its cart's first write, 2 for the second... */
  nth: number;
}

export interface LoadPlan {
  commands: PlannedCommand[];
  /** Every cart as the rules leave it after the whole workload. */
  record: CartRecord;
  /** The carts the workload names, in order of first mention. */
  cartIds: string[];
}

export function planLoad(workload: readonly WorkloadCommand[]): LoadPlan {
  const record = createCartRecord();
  const writesPerCart = new Map<string, number>();
  const cartIds = new Set<string>();
  const commands = workload.map((entry): PlannedCommand => {
    const recorded = recordCommand(record, entry.command);
    const named = entry.command["cartId"];
    const lane = typeof named === "string" ? named : "";
    if (recorded.command !== null) cartIds.add(recorded.command.cartId);
    const writes = recorded.accepted && recorded.events.length > 0;
    const nth = writes ? (writesPerCart.get(lane) ?? 0) + 1 : 0;
    if (writes) writesPerCart.set(lane, nth);
    return { entry, lane, accepted: recorded.accepted, writes, nth };
  });
  return { commands, record, cartIds: [...cartIds] };
}
