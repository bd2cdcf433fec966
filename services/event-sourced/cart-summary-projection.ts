import type { Pool } from "pg";
import { evolve, fold, initialCartState } from "../cart/index.ts";
import type { CartEvent } from "../cart/index.ts";
import { LabError } from "../platform/errors.ts";
import { decodeCartEvent } from "./cart-event-codec.ts";
import { cartIdOfStream, cartStreamId } from "./cart-stream.ts";
import type { EventJournal, RecordedEvent } from "./event-journal.ts";
import { checkpoint, isSameCheckpoint } from "./global-checkpoint.ts";
import type { GlobalCheckpoint } from "./global-checkpoint.ts";
import { journalSchema, statementName } from "./journal-schema.ts";
import { lockCartSummaries } from "./lock-cart-summaries.ts";
import type { CartSummaryRow } from "./lock-cart-summaries.ts";
import { catchUp, lockCheckpoint, readCheckpoint, resetCheckpoint } from "./checkpoint-store.ts";
import { withTransaction } from "./transaction.ts";
import { writeCartSummaries } from "./write-cart-summaries.ts";

export interface CartSummaryProjectionDeps {
  pool: Pool;
  schema: string;
  journal: EventJournal;
  /** The checkpoint's key; two names keep two independent copies of progress. Default `cart-summary`. */
  name?: string;
  /** Events per transaction. Default 500. */
  batchSize?: number;
}

export interface CartSummaryProjection {
  readonly name: string;
  /**
   * Applies the next batch after the checkpoint, read model and checkpoint in one transaction.
   * Resolves with the number of events read: 0 when nothing more is visible yet.
   */
  runOnce(): Promise<number>;
  /** Runs batches until nothing more is visible; resolves with the events read in all. */
  catchUp(): Promise<number>;
  checkpoint(): Promise<GlobalCheckpoint>;
  /** Moves the checkpoint (back, for a replay); the read model's own versions keep a replay from double-applying. */
  resetCheckpoint(to: GlobalCheckpoint): Promise<void>;
}

interface DecodedEvent {
  recorded: RecordedEvent;
  /** null for an event of another kind of stream, which only moves the checkpoint. */
  cartId: string | null;
  event: CartEvent | null;
}

/**
 * The cart-summary read model: one row per cart with the `state --json` view. Exactly-once in
 * effect on an at-least-once feed, twice over: the checkpoint commits with the rows (a crash
 * between the two cannot happen), and each row remembers the last stream version it applied
 * (a checkpoint moved back, or a second runner, re-reads events the rows already hold).
 *
 * A batch costs a fixed number of statements whatever its size: the rows of all its carts are
 * locked in one, the events folded in memory in global order, and the changed rows written in one.
 */
export function createCartSummaryProjection(deps: CartSummaryProjectionDeps): CartSummaryProjection {
  const schema = journalSchema(deps.schema);
  const name = deps.name ?? "cart-summary";
  const batchSize = deps.batchSize ?? 500;
  const { pool, journal } = deps;

  async function runOnce(): Promise<number> {
    const from = await readCheckpoint(pool, schema, name);
    const batch = await journal.readAll({ after: from, limit: batchSize });
    if (batch.events.length === 0) return 0;
    // Decoded up front, so an undecodable event stops the projection exactly there: the events
    // before it still commit, and the checkpoint names the last one that was applied.
    const decoded: DecodedEvent[] = [];
    let poison: unknown = null;
    for (const recorded of batch.events) {
      const cartId = cartIdOfStream(recorded.streamId);
      if (cartId === null) {
        decoded.push({ recorded, cartId: null, event: null });
        continue;
      }
      try {
        decoded.push({ recorded, cartId, event: decodeCartEvent(recorded) });
      } catch (error) {
        poison = error;
        break;
      }
    }
    const last = decoded[decoded.length - 1]?.recorded;
    if (last !== undefined) {
      await applyBatch(decoded, from, checkpoint(last.transactionId, last.globalPosition));
    }
    if (poison !== null) throw poison;
    return batch.events.length;
  }

  async function applyBatch(decoded: readonly DecodedEvent[], from: GlobalCheckpoint, to: GlobalCheckpoint): Promise<void> {
    await withTransaction(pool, async (client) => {
      const locked = await lockCheckpoint(client, schema, name);
      // Another runner moved the checkpoint since we read it: its transaction holds the truth.
      if (!isSameCheckpoint(locked, from)) return;
      const cartIds = new Set<string>();
      for (const { cartId } of decoded) if (cartId !== null) cartIds.add(cartId);
      const rows = await lockCartSummaries(client, schema, [...cartIds]);
      const changed = new Map<string, CartSummaryRow>();
      for (const { recorded, cartId, event } of decoded) {
        if (cartId === null || event === null) continue;
        const row = rows.get(cartId) ?? null;
        const next = await apply(journal, cartId, row, recorded, event);
        if (next !== null && next !== row) {
          rows.set(cartId, next);
          changed.set(cartId, next);
        }
      }
      await writeCartSummaries(client, schema, changed);
      await client.query({
        name: statementName(schema, "advance-checkpoint"),
        text: `UPDATE ${schema.checkpoints} SET transaction_id = $2::xid8, global_position = $3::bigint, updated_at = clock_timestamp()
               WHERE projection_name = $1`,
        values: [name, to.transactionId, to.globalPosition],
      });
    });
  }

  return {
    name,
    runOnce,
    catchUp: () => catchUp(runOnce),
    checkpoint: () => readCheckpoint(pool, schema, name),
    resetCheckpoint: (to) => resetCheckpoint(pool, schema, name, to),
  };
}

/**
 * The row after `recorded`. A version the row already holds is a redelivery: nothing changes.
 * A version beyond the next one means the row missed events (it was dropped or damaged, or a
 * writer's transaction started before the one that wrote the previous version): the missing
 * versions are folded in from the stream itself, so the row is always a prefix of its stream.
 */
async function apply(
  journal: EventJournal,
  cartId: string,
  row: CartSummaryRow | null,
  recorded: RecordedEvent,
  event: CartEvent,
): Promise<CartSummaryRow | null> {
  const version = row?.version ?? 0;
  if (recorded.streamVersion <= version) return row;
  if (recorded.streamVersion === version + 1) {
    return { version: recorded.streamVersion, state: evolve(row?.state ?? initialCartState(), event) };
  }
  const missing = await journal.readStream(cartStreamId(cartId), { fromVersion: version + 1, toVersion: recorded.streamVersion });
  const last = missing[missing.length - 1];
  if (last?.streamVersion !== recorded.streamVersion) {
    throw new LabError("ComponentFailed", `cart ${cartId} stream ends before version ${recorded.streamVersion}, which the global read returned`, {
      details: { cartId, streamVersion: recorded.streamVersion, globalPosition: recorded.globalPosition },
    });
  }
  return { version: last.streamVersion, state: fold(missing.map(decodeCartEvent), row?.state ?? initialCartState()) };
}

