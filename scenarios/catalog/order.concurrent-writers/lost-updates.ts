import type { CartCommandResult } from "../../../services/cart/index.ts";
import { createEventSourcedCartHandler } from "../../../services/event-sourced/event-sourced-cart-handler.ts";
import { LabError, describeError } from "../../../services/platform/errors.ts";
import type { Logger } from "../../../services/platform/logger.ts";
import { byDesign } from "../../kit/drivers/subject-driver.ts";
import type { SubjectDriver } from "../../kit/drivers/subject-driver.ts";
import type { LostUpdatePlan } from "./concurrent-workload.ts";

export interface LostUpdateFigures {
  acknowledged: number;
  /** Acknowledged units missing from the final quantities (acknowledged − final, over all carts). */
  lost: number;
  /** Commands the rules rejected: neither acknowledged nor lost (none is expected here). */
  rejected: number;
  /** null where the design has no conflicts to count (the CRUD handler waits on a lock instead). */
  conflicts: number | null;
  /** The first rejection, word for word, for the evidence. */
  firstRejection: string | null;
  perCart: { cartId: string; acknowledged: number; finalQuantity: number }[];
}

type Apply = (command: unknown, metadata: unknown) => Promise<CartCommandResult>;

/**
 * How a subject's commands are sent here. The journal's writes go through the same handler the
 * driver builds, over the driver's own journal and snapshots, told to count its conflicts (the
 * driver's handler keeps them to itself). The CRUD tables are written through the driver.
 */
function writerOf(driver: SubjectDriver, logger: Logger): { apply: Apply; conflicts: () => number | null } {
  return byDesign<{ apply: Apply; conflicts: () => number | null }>(driver, {
    es: (es) => {
      let conflicts = 0;
      const handler = createEventSourcedCartHandler({
        journal: es.journal,
        snapshots: es.snapshots,
        logger,
        snapshotEvery: es.spec.journal.snapshotEvery,
        onConflict: () => {
          conflicts += 1;
        },
      });
      return { apply: (command, metadata) => handler.applyRaw(command, metadata), conflicts: () => conflicts };
    },
    crud: (tables) => ({ apply: (command, metadata) => tables.apply(command, metadata), conflicts: () => null }),
    cdc: (tables) => ({ apply: (command, metadata) => tables.apply(command, metadata), conflicts: () => null }),
  });
}

/**
 * Every writer of every cart starts at once and adds one unit of the cart's line, again and
 * again: the commands race for the same rows (or the same stream version). The subject's pool
 * has fewer connections than there are writers, so transactions queue and overlap.
 */
export async function runConcurrentAdds(driver: SubjectDriver, plan: LostUpdatePlan, logger: Logger): Promise<LostUpdateFigures> {
  const writer = writerOf(driver, logger);
  const acknowledged = new Map(plan.carts.map((cart) => [cart.cartId, 0]));
  let rejected = 0;
  let firstRejection: string | null = null;
  const errors: unknown[] = [];

  await Promise.all(
    plan.carts.flatMap((cart) =>
      Array.from({ length: plan.writers }, async (_, index) => {
        for (let add = 0; add < plan.addsPerWriter; add += 1) {
          const command = { type: "AddItem", cartId: cart.cartId, sku: cart.sku, name: cart.sku, unitPriceCents: cart.unitPriceCents, quantity: 1 };
          try {
            const result = await writer.apply(command, { actor: `writer-${index + 1}` });
            if (result.ok) acknowledged.set(cart.cartId, (acknowledged.get(cart.cartId) ?? 0) + 1);
            else {
              rejected += 1;
              firstRejection ??= `${result.error.code}: ${result.error.message}`;
            }
          } catch (error) {
            // Kept until every writer is done (stopping one writer early would change the race),
            // then reported: a command the infrastructure failed leaves no trustworthy count.
            errors.push(error);
          }
        }
      }),
    ),
  );
  if (errors.length > 0) {
    throw new LabError("ComponentFailed", `${errors.length} of ${plan.carts.length * plan.writers * plan.addsPerWriter} concurrent AddItems failed; the first: ${describeError(errors[0])}`, {
      cause: errors[0],
      details: { failed: errors.length },
    });
  }

  const perCart: LostUpdateFigures["perCart"] = [];
  for (const cart of plan.carts) {
    const view = await driver.current(cart.cartId);
    const finalQuantity = view?.items.find((line) => line.sku === cart.sku)?.quantity ?? 0;
    perCart.push({ cartId: cart.cartId, acknowledged: acknowledged.get(cart.cartId) ?? 0, finalQuantity });
  }
  return {
    acknowledged: perCart.reduce((sum, cart) => sum + cart.acknowledged, 0),
    lost: perCart.reduce((sum, cart) => sum + cart.acknowledged - cart.finalQuantity, 0),
    rejected,
    conflicts: writer.conflicts(),
    firstRejection,
    perCart,
  };
}
