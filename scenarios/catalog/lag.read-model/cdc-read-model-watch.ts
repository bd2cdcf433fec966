import { applyToCdcReadModel, migrateCdcReadModel, readCdcReadModelCart } from "../../../services/crud-cdc/cdc-read-model.ts";
import type { ChangeEvent, RowChangeEvent } from "../../../services/crud-cdc/change-event.ts";
import { crudStateTables } from "../../../services/crud-cdc/crud/crud-tables.ts";
import { LabError } from "../../../services/platform/errors.ts";
import type { Logger } from "../../../services/platform/logger.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import type { CdcDriver } from "../../kit/drivers/subject-driver.ts";
import type { VisibleTransaction } from "./match-writes.ts";
import { furthest } from "./read-position.ts";
import type { ReadPosition } from "./read-position.ts";
import type { BusyInterval, ReadModelWatch } from "./read-model-watch.ts";

const SETTLE_TIMEOUT_MS = 60_000;

/** One change the read model applied: its source transaction, table and LSN, and when. */
export interface AppliedChange {
  cartId: string;
  txId: number;
  table: string;
  lsn: number;
  /** When Debezium processed the change (the envelope's `ts_ms`). */
  emittedAt: number;
  appliedAt: number;
}

/**
 * The CDC read model (services/crud-cdc/cdc-read-model.ts: rows stamped with their LSN) fed by a
 * change-feed subscription of its own, started before the load. Its handler notes each change
 * right after the read model applied it, so a transaction became visible when its last change
 * was applied; a change applied again (at least once) keeps its first time.
 *
 * The read model lives in the subject's CRUD schema, so it goes when the subject is disposed. The
 * connector's publication lists the captured tables only, so Debezium never streams it.
 */
export async function watchCdcReadModel(driver: CdcDriver, logger: Logger): Promise<ReadModelWatch> {
  const { pool } = driver;
  const schema = driver.names.crudSchema;
  await migrateCdcReadModel(pool, schema);
  const applied = new Map<string, AppliedChange>();
  const busy: BusyInterval[] = [];
  const subscription = await driver.changeFeed.subscribe(
    { groupId: `${driver.names.topicPrefix}_lag_read_model`, topics: driver.topics.all, fromBeginning: true },
    async (event) => {
      const startedAt = Date.now();
      const outcome = await applyToCdcReadModel(pool, schema, event);
      const appliedAt = Date.now();
      busy.push({ startedAt, finishedAt: appliedAt });
      if (outcome === "ignored" || !isStateRow(event)) return;
      const key = changeKey(event);
      if (!applied.has(key)) applied.set(key, { cartId: cartIdOf(event), txId: txIdOf(event), table: event.source.table ?? "", lsn: event.source.lsn, emittedAt: event.emittedAt, appliedAt });
    },
  );
  let endedWith: Awaited<typeof subscription.ended> | undefined;
  void subscription.ended.then((result) => {
    endedWith = result;
  });
  const log = logger.child({ component: "lag.read-model", subject: driver.spec.id });

  async function settle(): Promise<Map<string, VisibleTransaction[]>> {
    let missing = 0;
    await waitFor(
      async () => {
        // Not retriable: waitFor would otherwise wait out its bound for a feeder that is gone.
        if (endedWith !== undefined) throw new LabError("ComponentFailed", `the read model consumer of ${driver.spec.id} stopped before it caught up${endedWith === null ? "" : `: ${endedWith.message}`}`, { cause: endedWith, retriable: false });
        // The topics replayed from their start are the source's changes as Debezium streamed them.
        const streamed = (await driver.readChangeEvents()).filter(isStateRow);
        missing = streamed.filter((event) => !applied.has(changeKey(event))).length;
        log.debug({ streamed: streamed.length, missing }, "read model catching up");
        return missing === 0 ? true : undefined;
      },
      { what: `the CDC read model of ${driver.spec.id} to apply every streamed change`, timeoutMs: SETTLE_TIMEOUT_MS, intervalMs: 500, onTimeout: () => ({ missing }) },
    );
    return visibleTransactions([...applied.values()]);
  }

  return {
    feeder: "change-feed consumer of Debezium's topics",
    async readPosition(cartId) {
      const rows = await pool.query<{ source_table: string; lsn: string }>(
        `SELECT source_table, max(lsn)::text AS lsn FROM "${schema}".cdc_rows WHERE cart_id = $1 GROUP BY source_table`,
        [cartId],
      );
      return Object.fromEntries(rows.rows.map((row) => [row.source_table, Number(row.lsn)]));
    },
    view: (cartId) => readCdcReadModelCart(pool, schema, cartId),
    settle,
    busy: () => busy,
    async stop() {
      await subscription.stop();
      const failure = await subscription.ended;
      if (failure !== null) throw failure;
    },
  };
}

/**
 * Each cart's source transactions in commit order (by their last change's LSN), visible once
 * their last change was applied; a transaction's position is its newest LSN per table.
 */
export function visibleTransactions(changes: readonly AppliedChange[]): Map<string, VisibleTransaction[]> {
  const byTransaction = new Map<number, { cartId: string; visibleAt: number; handedOverAt: number; position: ReadPosition; lastLsn: number }>();
  for (const change of changes) {
    const seen = byTransaction.get(change.txId);
    if (seen !== undefined && seen.cartId !== change.cartId) {
      throw new LabError("ComponentFailed", `transaction ${change.txId} changed carts ${seen.cartId} and ${change.cartId}; a command changes one cart`, { details: { txId: change.txId } });
    }
    byTransaction.set(change.txId, {
      cartId: change.cartId,
      visibleAt: Math.max(seen?.visibleAt ?? change.appliedAt, change.appliedAt),
      handedOverAt: Math.max(seen?.handedOverAt ?? change.emittedAt, change.emittedAt),
      position: furthest(seen?.position ?? {}, { [change.table]: change.lsn }),
      lastLsn: Math.max(seen?.lastLsn ?? change.lsn, change.lsn),
    });
  }
  const byCart = new Map<string, VisibleTransaction[]>();
  for (const { cartId, visibleAt, handedOverAt, position } of [...byTransaction.values()].sort((a, b) => a.lastLsn - b.lastLsn)) {
    byCart.set(cartId, [...(byCart.get(cartId) ?? []), { cartId, visibleAt, handedOverAt, position, via: "consumer" }]);
  }
  return byCart;
}

type StateRowEvent = RowChangeEvent & { source: { table: string } };

function isStateRow(event: ChangeEvent): event is StateRowEvent {
  return event.kind === "row" && (crudStateTables as readonly (string | null)[]).includes(event.source.table);
}

function changeKey(event: StateRowEvent): string {
  return `${event.source.table}@${event.source.lsn}`;
}

function cartIdOf(event: RowChangeEvent): string {
  const cartId = event.key?.["cart_id"] ?? event.after?.["cart_id"] ?? event.before?.["cart_id"];
  if (typeof cartId !== "string") throw new LabError("DecodeFailed", `change at ${event.position.topic}[${event.position.partition}]@${event.position.offset} names no cart`, { details: { ...event.position } });
  return cartId;
}

function txIdOf(event: RowChangeEvent): number {
  if (event.source.txId === null) throw new LabError("DecodeFailed", `change at ${event.position.topic}[${event.position.partition}]@${event.position.offset} has no transaction id`, { details: { ...event.position } });
  return event.source.txId;
}
