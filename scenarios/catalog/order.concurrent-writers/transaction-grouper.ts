import type { ChangeEvent, RowChangeEvent, TransactionBoundary } from "../../../services/crud-cdc/change-event.ts";

/**
 * Reassembles Debezium's transactions from the per-table topics and the transaction metadata
 * topic, for a consumer that applies a transaction whole or not at all. Pure: the records come
 * in in the order the consumer received them.
 *
 * A transaction is released when its END has arrived and every event the END counts for the
 * consumed tables has too; transactions are released in the order of their ENDs (one partition,
 * so commit order), never ahead of an earlier one still incomplete. Events are matched by
 * PostgreSQL transaction id: on PostgreSQL, Debezium's `transaction.id` is `<txId>:<lsn>` with
 * each event's own LSN, so the whole id never matches between two events of one transaction.
 */
export interface GroupedTransaction {
  txId: number;
  /** The transaction's row changes of the consumed tables, in Debezium's `total_order`. */
  events: RowChangeEvent[];
}

export interface TransactionGrouping {
  /** Complete transactions that changed a consumed table, in release order: what the consumer applied. */
  transactions: GroupedTransaction[];
  /** ENDs still waiting for events (or behind one that is): nothing of them was applied. */
  pending: number;
  /** Row changes of consumed tables without a `transaction` block: a grouper cannot place them. */
  withoutMetadata: number;
}

/**
 * `tables` names the consumed data collections as Debezium does (`schema.table`); the END's
 * counts of anything else (the logical messages' collection, tables not consumed) are ignored.
 */
export function groupByTransaction(arrivals: readonly (ChangeEvent | TransactionBoundary)[], tables: readonly string[]): TransactionGrouping {
  const consumed = new Set(tables);
  const buffered = new Map<number, Map<string, RowChangeEvent>>();
  const ends: { txId: number; expected: number }[] = [];
  const released = new Set<number>();
  const transactions: GroupedTransaction[] = [];
  let withoutMetadata = 0;

  const release = () => {
    for (let head = ends[0]; head !== undefined; head = ends[0]) {
      const events = buffered.get(head.txId) ?? new Map<string, RowChangeEvent>();
      if (events.size < head.expected) return;
      ends.shift();
      buffered.delete(head.txId);
      released.add(head.txId);
      // A transaction that changed none of the consumed tables (only a logical message, say) changes nothing to apply.
      if (events.size === 0) continue;
      transactions.push({ txId: head.txId, events: [...events.values()].sort((a, b) => (a.transaction?.totalOrder ?? 0) - (b.transaction?.totalOrder ?? 0)) });
    }
  };

  for (const item of arrivals) {
    if (item.kind === "transaction") {
      if (item.status !== "END" || released.has(item.txId) || ends.some((end) => end.txId === item.txId)) continue;
      const expected = (item.dataCollections ?? []).filter((entry) => consumed.has(entry.dataCollection)).reduce((sum, entry) => sum + entry.eventCount, 0);
      ends.push({ txId: item.txId, expected });
    } else if (item.kind === "row") {
      if (!consumed.has(`${item.source.schema ?? ""}.${item.source.table ?? ""}`)) continue;
      if (item.transaction === undefined) {
        withoutMetadata += 1;
        continue;
      }
      const txId = item.transaction.txId;
      if (released.has(txId)) continue;
      const events = buffered.get(txId) ?? new Map<string, RowChangeEvent>();
      buffered.set(txId, events);
      // At least once: a redelivered event has the same place in its transaction.
      events.set(`${item.source.table ?? ""}/${item.transaction.dataCollectionOrder}`, item);
    }
    release();
  }
  return { transactions, pending: ends.length, withoutMetadata };
}
