import { toCartView } from "../../../services/cart/index.ts";
import type { CartView } from "../../../services/cart/index.ts";
import { createCartRecord, recordCommand } from "../../kit/cart-record.ts";
import { seededRandom } from "../../workload/seeded-random.ts";
import type { SeededRandom } from "../../workload/seeded-random.ts";

/**
 * The scenario's commands, all from the seed: who writes what, on which cart. Pure; the steps
 * send them. Cart ids are short and plain so every design accepts them as they are.
 */

export interface ScenarioCommand {
  command: Record<string, unknown>;
  metadata: { actor: string; reason?: string };
}

/** Part 1: `writers` writers per cart, each adding one unit of the same line `addsPerWriter` times. */
export interface LostUpdatePlan {
  carts: { cartId: string; sku: string; unitPriceCents: number }[];
  writers: number;
  addsPerWriter: number;
}

/** Part 2: rounds of one slow append held open while fast commands commit around it. */
export interface GlobalOrderPlan {
  rounds: { slow: ScenarioCommand; fast: ScenarioCommand[] }[];
}

/** Part 3: carts whose commands touch several tables; one writer per cart, carts side by side. */
export interface TornPlan {
  carts: { cartId: string; commands: ScenarioCommand[] }[];
  /** Per cart, every state the database held, in order (null before the cart existed): the runner's record. */
  committed: Map<string, (CartView | null)[]>;
}

/** Part 3, journal only: carts each written by one append of many events, to see whether a projection batch can end inside it. */
export interface BatchProbePlan {
  carts: { cartId: string; sku: string; unitPriceCents: number }[];
  eventsPerAppend: number;
}

export interface ConcurrentWritersPlan {
  lostUpdates: LostUpdatePlan;
  globalOrder: GlobalOrderPlan;
  torn: TornPlan;
  batchProbe: BatchProbePlan;
}

/**
 * Two appends of 300 events: more together than one batch of the projection (500 by default),
 * fewer than a line's quantity limit (every event adds one unit of the same line).
 */
const PROBE_APPENDS = 2;
const PROBE_EVENTS_PER_APPEND = 300;

const SKUS = ["apple", "banana", "cherry", "mango", "pear", "plum"] as const;

function addItem(cartId: string, sku: string, unitPriceCents: number, quantity: number): Record<string, unknown> {
  return { type: "AddItem", cartId, sku, name: sku, unitPriceCents, quantity };
}

export function concurrentWritersPlan(seed: number, scale: number): ConcurrentWritersPlan {
  const random = seededRandom(seed);
  const lostUpdates: LostUpdatePlan = {
    carts: Array.from({ length: 1 + scale }, (_, index) => ({ cartId: `hot-${index + 1}`, sku: random.pick(SKUS), unitPriceCents: random.int(50, 500) })),
    writers: 8,
    addsPerWriter: 3,
  };

  const globalOrder: GlobalOrderPlan = {
    rounds: Array.from({ length: 3 * scale }, (_, round) => ({
      slow: { command: addItem(`slow-${round + 1}`, random.pick(SKUS), random.int(50, 500), 1), metadata: { actor: "slow-writer" } },
      fast: Array.from({ length: 3 }, (_, index) => ({
        command: addItem(`fast-${round + 1}-${index + 1}`, random.pick(SKUS), random.int(50, 500), random.int(1, 3)),
        metadata: { actor: "fast-writer" },
      })),
    })),
  };

  const record = createCartRecord();
  const committed = new Map<string, (CartView | null)[]>();
  const carts = Array.from({ length: 3 * scale }, (_, index) => {
    const cartId = `multi-${index + 1}`;
    const [first, second] = pickTwo(random);
    const firstPrice = random.int(100, 900);
    const secondPrice = random.int(100, 900);
    const actor = `customer-${index + 1}`;
    const commands: ScenarioCommand[] = [
      // Opening a cart writes its carts row and its first cart_items row in one transaction.
      addItem(cartId, first, firstPrice, 1),
      { type: "ApplyDiscount", cartId, discountId: `d-${index + 1}`, sku: first, minQuantity: 2, amountCents: -random.int(5, 50) },
      addItem(cartId, second, secondPrice, random.int(1, 3)),
      addItem(cartId, first, firstPrice, 1),
      { type: "CorrectPrice", cartId, sku: second, unitPriceCents: secondPrice - random.int(1, 50) },
      { type: "RemoveItem", cartId, sku: second },
      // Checkout writes the carts row's status and total together.
      { type: "CheckOut", cartId },
    ].map((command) => ({ command, metadata: { actor } }));
    const views: (CartView | null)[] = [null];
    for (const entry of commands) {
      const outcome = recordCommand(record, entry.command);
      if (outcome.accepted && outcome.events.length > 0) views.push(toCartView(record.get(cartId) ?? { status: "empty" }));
    }
    committed.set(cartId, views);
    return { cartId, commands };
  });

  const batchProbe: BatchProbePlan = {
    carts: Array.from({ length: PROBE_APPENDS }, (_, index) => ({ cartId: `bulk-${index + 1}`, sku: random.pick(SKUS), unitPriceCents: random.int(50, 500) })),
    eventsPerAppend: PROBE_EVENTS_PER_APPEND,
  };
  return { lostUpdates, globalOrder, torn: { carts, committed }, batchProbe };
}

function pickTwo(random: SeededRandom): [string, string] {
  const first = random.pick(SKUS);
  const second = random.pick(SKUS.filter((sku) => sku !== first));
  return [first, second];
}
