import { createCartRecord, recordCommand, recordedViews } from "../../kit/cart-record.ts";
import type { CartView } from "../../../services/cart/index.ts";
import type { WorkloadCommand } from "../../workload/cart-workload.ts";
import { generateCartWorkload } from "../../workload/cart-workload.ts";

/**
 * What every subject is given, decided once from the seed: the workload cut into three sizes
 * (each size is the previous one plus a chunk), each size closed by two commands on a cart of
 * its own, and a last chunk written while the CDC connector is stopped. The runner's record says
 * which commands write (the operations counted) and what every cart is after each stage.
 */
export interface PlannedCommand extends WorkloadCommand {
  accepted: boolean;
}

export interface Stage {
  commands: PlannedCommand[];
  /** Every cart the record knows once the stage is applied. */
  views: Map<string, CartView | null>;
}

export interface FootprintPlan {
  /** For each size: its chunk of the workload, then the two commands that close it. */
  sizes: { chunk: Stage; close: Stage }[];
  /** Written while the connector is stopped. */
  whileStopped: Stage;
}

export const SIZE_COUNT = 3;

/**
 * The commands that end a size, the same for every subject: they write to carts, cart_items
 * and cart_discounts, so each CDC topic gets a record after segment.ms and Kafka rolls its
 * segment (a segment rolls only on an append), leaving the size's records in closed segments
 * the log cleaner may compact.
 */
export function closingCommands(size: number): WorkloadCommand[] {
  const cartId = `close-${size}`;
  const metadata = { actor: "shop-traffic" };
  return [
    { command: { type: "AddItem", cartId, sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 1 }, metadata },
    { command: { type: "ApplyDiscount", cartId, discountId: "close", sku: "kiwi", minQuantity: 1, amountCents: -5 }, metadata },
  ];
}

export function planFootprint(options: { seed: number; commandsPerSize: number; carts: number }): FootprintPlan {
  const workload = generateCartWorkload({ seed: options.seed, carts: options.carts, commands: options.commandsPerSize * (SIZE_COUNT + 1), cartPrefix: "cart-" });
  const record = createCartRecord();
  const stage = (entries: WorkloadCommand[]): Stage => {
    const commands = entries.map((entry) => ({ ...entry, accepted: recordCommand(record, entry.command).accepted }));
    return { commands, views: recordedViews(record) };
  };
  const chunkOf = (index: number) => workload.slice(index * options.commandsPerSize, (index + 1) * options.commandsPerSize);
  const sizes = Array.from({ length: SIZE_COUNT }, (_unused, index) => ({ chunk: stage(chunkOf(index)), close: stage(closingCommands(index + 1)) }));
  return { sizes, whileStopped: stage(chunkOf(SIZE_COUNT)) };
}

export function operationsIn(stage: Stage): number {
  return stage.commands.filter((command) => command.accepted).length;
}
