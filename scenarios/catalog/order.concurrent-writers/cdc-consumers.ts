import { randomUUID } from "node:crypto";
import type { CartView } from "../../../services/cart/index.ts";
import type { ChangeEvent, TransactionBoundary } from "../../../services/crud-cdc/change-event.ts";
import { crudStateTables } from "../../../services/crud-cdc/crud/crud-tables.ts";
import { createKafkaTransactionAwareFeed } from "../../../services/crud-cdc/kafka-change-feed.ts";
import { LabError, describeError } from "../../../services/platform/errors.ts";
import type { Logger } from "../../../services/platform/logger.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import type { CdcDriver } from "../../kit/drivers/subject-driver.ts";
import { cartViewKey } from "./cart-view-key.ts";
import { createCartRowsReplica, isRowChange } from "./torn-views.ts";
import { groupByTransaction } from "./transaction-grouper.ts";

export type Arrival = ChangeEvent | TransactionBoundary;

const CATCH_UP_TIMEOUT_MS = 90_000;

/** The consumed tables as Debezium names them in END records (`schema.table`). */
export function consumedDataCollections(cdc: CdcDriver): string[] {
  return crudStateTables.map((table) => `${cdc.names.crudSchema}.${table}`);
}

/**
 * Subscribes to the subject's three table topics and its transaction metadata topic (empty
 * when the connector does not provide it), records every record in the order it arrived, and
 * runs `work` once the consumer has caught up with what was committed before (`before`), so
 * part 3's records are consumed live, as they come, not from a backlog. Resolves once both
 * consumers built from the arrivals (per table, and grouped when the records carry transaction
 * blocks) show `after` for every cart.
 */
export async function recordArrivals(
  cdc: CdcDriver,
  brokers: string[],
  logger: Logger,
  expect: { before: ReadonlyMap<string, CartView | null>; after: ReadonlyMap<string, CartView | null> },
  work: () => Promise<void>,
): Promise<Arrival[]> {
  const feed = createKafkaTransactionAwareFeed({ brokers, logger, clientId: `order-concurrent-writers-${cdc.names.topicPrefix}` });
  const arrivals: Arrival[] = [];
  const { carts, cartItems, cartDiscounts, transactions } = cdc.topics;
  const subscription = await feed.subscribe(
    { groupId: `${cdc.names.topicPrefix}-torn-${randomUUID()}`, topics: [carts, cartItems, cartDiscounts, transactions], transactionTopics: [transactions], fromBeginning: true },
    async (item) => {
      arrivals.push(item);
    },
  );
  // A subscription that stopped on a poison record must end the wait at once, with its error.
  let stopped: Error | null = null;
  void subscription.ended.then((failure) => {
    stopped = failure ?? new Error(`the subscription of ${cdc.spec.id} stopped before the consumers caught up`);
  });
  const tables = consumedDataCollections(cdc);
  const until = async (what: string, views: ReadonlyMap<string, CartView | null>) => {
    await waitFor(
      async () => {
        // Not retriable, so the wait stops here instead of timing out.
        if (stopped !== null) throw new LabError("ComponentFailed", `the consumer of ${cdc.spec.id} stopped: ${describeError(stopped)}`, { cause: stopped });
        return showsAll(arrivals, tables, views) ? true : undefined;
      },
      { what, timeoutMs: CATCH_UP_TIMEOUT_MS, intervalMs: 100, onTimeout: () => ({ arrivals: arrivals.length }) },
    );
  };
  try {
    await until(`the consumer of ${cdc.spec.id} to catch up before part 3`, expect.before);
    await work();
    await until(`the consumers of ${cdc.spec.id} to show every cart's final state`, expect.after);
  } finally {
    await subscription.stop();
  }
  return arrivals;
}

/** Whether the per-table consumer, and the grouped one when there is metadata, show `views`. */
function showsAll(arrivals: readonly Arrival[], tables: readonly string[], views: ReadonlyMap<string, CartView | null>): boolean {
  const perTable = createCartRowsReplica();
  let withBlock = 0;
  for (const item of arrivals) {
    if (!isRowChange(item)) continue;
    perTable.apply(item);
    if (item.transaction !== undefined) withBlock += 1;
  }
  const consumers = [perTable];
  if (withBlock > 0) {
    const grouped = createCartRowsReplica();
    for (const transaction of groupByTransaction(arrivals, tables).transactions) for (const event of transaction.events) grouped.apply(event);
    consumers.push(grouped);
  }
  return consumers.every((replica) => [...views].every(([cartId, view]) => cartViewKey(replica.view(cartId)) === cartViewKey(view)));
}
