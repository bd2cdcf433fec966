import type { Pool } from "pg";
import { CART_CHECKED_OUT_MESSAGE_TYPE, checkedOutMessage } from "../cart/index.ts";
import type { CheckedOut } from "../cart/index.ts";
import { LabError } from "../platform/errors.ts";
import type { Logger } from "../platform/logger.ts";
import { decodeCartEvent, recordedIntent } from "./cart-event-codec.ts";
import { cartIdOfStream } from "./cart-stream.ts";
import type { EventJournal, RecordedEvent } from "./event-journal.ts";
import { checkpoint, formatCheckpoint } from "./global-checkpoint.ts";
import type { GlobalCheckpoint } from "./global-checkpoint.ts";
import { startJournalSubscription } from "./journal-subscription.ts";
import type { JournalSubscription } from "./journal-subscription.ts";
import { journalSchema } from "./journal-schema.ts";
import type { JournalSchema } from "./journal-schema.ts";
import { catchUp, readCheckpoint, resetCheckpoint } from "./checkpoint-store.ts";

/** One message to publish. Values and headers are text: the checkout topics carry JSON and ids. */
export interface OutgoingMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** The capability to put messages on a topic; resolves once the broker has acknowledged all of them. */
export interface MessageProducer {
  send(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface CheckoutPublisherDeps {
  pool: Pool;
  /** The schema `migrateJournal` created; the checkpoint is kept in its checkpoint table. */
  schema: string;
  journal: EventJournal;
  producer: MessageProducer;
  topic: string;
  logger: Logger;
  /** The checkpoint's key. Default `checkout-publisher`. */
  name?: string;
  /** Events read per pass. Default 500. */
  batchSize?: number;
}

export interface CheckoutPublisher {
  readonly name: string;
  /** Publishes the next batch's checkouts; resolves with the events read, 0 when nothing more is visible. */
  runOnce(): Promise<number>;
  /** Runs batches until nothing more is visible; resolves with the events read in all. */
  catchUp(): Promise<number>;
  /** Publishes whenever the journal grows, until the subscription is stopped or a pass fails. */
  start(options?: { pollIntervalMs?: number }): Promise<JournalSubscription>;
  checkpoint(): Promise<GlobalCheckpoint>;
  /** Moves the checkpoint (back, to re-send); the consumer's deduplication absorbs the copies. */
  resetCheckpoint(to: GlobalCheckpoint): Promise<void>;
}

/**
 * Design 2's checkout publication: the journal is its own outbox. Each pass reads the events
 * after the checkpoint in the safe global order, sends the batch's CheckedOut events and only
 * after the broker acknowledged them moves the checkpoint. At least once: a crash between the
 * send and the checkpoint sends the batch again, with the same event ids, for the consumer to
 * absorb. Kafka and PostgreSQL share no transaction, so no order of the two steps does better.
 */
export function createCheckoutPublisher(deps: CheckoutPublisherDeps): CheckoutPublisher {
  const schema = journalSchema(deps.schema);
  const name = deps.name ?? "checkout-publisher";
  const batchSize = deps.batchSize ?? 500;
  const log = deps.logger.child({ component: "checkout-publisher", schema: schema.name, name, topic: deps.topic });

  async function runOnce(): Promise<number> {
    const from = await readCheckpoint(deps.pool, schema, name);
    const batch = await deps.journal.readAll({ after: from, limit: batchSize });
    if (batch.events.length === 0) return 0;
    // Decoded up front, so an undecodable checkout stops the publisher exactly there: what came
    // before it is still sent, and the checkpoint names the last event handled.
    const messages: OutgoingMessage[] = [];
    let handled: RecordedEvent | undefined;
    let poison: unknown = null;
    for (const recorded of batch.events) {
      if (recorded.type === "CheckedOut" && cartIdOfStream(recorded.streamId) !== null) {
        try {
          const event = decodeCartEvent(recorded);
          if (event.type === "CheckedOut") messages.push(checkoutMessageOf(recorded, event));
        } catch (error) {
          poison = error;
          break;
        }
      }
      handled = recorded;
    }
    if (handled !== undefined) {
      if (messages.length > 0) await deps.producer.send(deps.topic, messages);
      const to = checkpoint(handled.transactionId, handled.globalPosition);
      const moved = await moveCheckpoint(deps.pool, schema, name, from, to);
      // Another instance published the same events and moved on first: both sends stand, and the
      // consumer absorbs the copies, which is all at-least-once promises.
      if (!moved) log.warn({ from: formatCheckpoint(from), to: formatCheckpoint(to) }, "checkpoint moved by another publisher");
      log.debug({ to: formatCheckpoint(to), published: messages.length }, "batch published");
    }
    if (poison !== null) throw poison;
    return batch.events.length;
  }

  return {
    name,
    runOnce,
    catchUp: () => catchUp(runOnce),
    start: (options = {}) =>
      startJournalSubscription({ pool: deps.pool, schema: schema.name, logger: deps.logger, process: runOnce, pollIntervalMs: options.pollIntervalMs }),
    checkpoint: () => readCheckpoint(deps.pool, schema, name),
    resetCheckpoint: (to) => resetCheckpoint(deps.pool, schema, name, to),
  };
}

/**
 * The Kafka message of one recorded CheckedOut: key = cartId (per-cart order on one partition),
 * header `id` = the journal's event id (the consumer's deduplication key, as the outbox row's id
 * is in design 1), header `eventType` as the Outbox Event Router places it.
 */
export function checkoutMessageOf(recorded: RecordedEvent, event: CheckedOut): OutgoingMessage {
  // The command's decision time, as design 1 stamps its outbox row; an event written without
  // it (an operator's hand-made one) falls back to when the journal recorded it.
  const message = checkedOutMessage(event, recorded.eventId, recordedIntent(recorded.metadata).decidedAt ?? recorded.recordedAt);
  return {
    key: event.cartId,
    value: JSON.stringify(message),
    headers: { id: recorded.eventId, eventType: CART_CHECKED_OUT_MESSAGE_TYPE },
  };
}


/** Compare-and-set: moves the checkpoint only from where this pass read it. False when it had moved. */
async function moveCheckpoint(pool: Pool, schema: JournalSchema, name: string, from: GlobalCheckpoint, to: GlobalCheckpoint): Promise<boolean> {
  await pool.query(`INSERT INTO ${schema.checkpoints} (projection_name) VALUES ($1) ON CONFLICT (projection_name) DO NOTHING`, [name]);
  const result = await pool.query(
    `UPDATE ${schema.checkpoints} SET transaction_id = $4::xid8, global_position = $5::bigint, updated_at = clock_timestamp()
     WHERE projection_name = $1 AND transaction_id = $2::xid8 AND global_position = $3::bigint`,
    [name, from.transactionId, from.globalPosition, to.transactionId, to.globalPosition],
  );
  if (result.rowCount === 1) return true;
  if (result.rowCount === 0) return false;
  throw new LabError("ComponentFailed", `checkpoint ${name} matched ${result.rowCount} rows`, { details: { name } });
}
