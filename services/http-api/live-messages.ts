import type { CartView } from "../cart/index.ts";
import type { ChangeEvent, Row } from "../crud-cdc/change-event.ts";
import { cartOfRowChange } from "../crud-cdc/cdc-history.ts";
import { cartIntentPrefix, decodeCartIntent } from "../crud-cdc/crud/cart-intent.ts";
import type { CartIntent } from "../crud-cdc/crud/cart-intent.ts";
import { recordedIntent } from "../event-sourced/cart-event-codec.ts";
import type { CartHistoryEntry } from "../event-sourced/cart-history.ts";
import type { JsonObject } from "../event-sourced/event-journal.ts";
import type { ReadDesign } from "../designs/cart-designs.ts";

/**
 * What the live page receives, built from what each design stores (pure, so the shapes are
 * unit-tested): the journal's events with the actor and reason recorded beside them, and the
 * Debezium change events of the cart with, for an intent message, who and why.
 */
export interface LiveState {
  design: ReadDesign;
  /** null: the design does not know the cart (yet). */
  view: CartView | null;
}

export interface LiveJournalEvent {
  streamVersion: number;
  globalPosition: string;
  type: string;
  data: JsonObject;
  actor: string | null;
  reason: string | null;
  decidedAt: string | null;
  recordedAt: string;
}

export type LiveChange =
  | {
      kind: "row";
      op: "c" | "u" | "d" | "r";
      table: string | null;
      txId: number | null;
      lsn: number;
      committedAt: string;
      position: string;
      before: Row | null;
      after: Row | null;
    }
  | {
      kind: "intent";
      op: "m";
      txId: number | null;
      lsn: number;
      committedAt: string;
      position: string;
      intent: Pick<CartIntent, "commandType" | "actor" | "reason" | "correlationId" | "decidedAt" | "events">;
    };

export function liveJournalEvent(entry: CartHistoryEntry): LiveJournalEvent {
  const intent = recordedIntent(entry.metadata);
  return {
    streamVersion: entry.streamVersion,
    globalPosition: entry.globalPosition,
    type: entry.type,
    data: entry.data,
    actor: intent.actor,
    reason: intent.reason,
    decidedAt: intent.decidedAt,
    recordedAt: entry.recordedAt,
  };
}

/**
 * The change event as the page shows it, or null when it is not about `cartId` (another cart, a
 * tombstone, a logical message of another prefix). An intent message that cannot be decoded
 * throws (DecodeFailed naming it), as it does in the CDC history: it is never shown as something
 * it is not.
 */
export function liveChange(event: ChangeEvent, cartId: string): LiveChange | null {
  if (event.kind === "tombstone") return null;
  const common = {
    txId: event.source.txId,
    lsn: event.source.lsn,
    committedAt: new Date(event.source.committedAt).toISOString(),
    position: `${event.position.topic}[${event.position.partition}]@${event.position.offset}`,
  };
  if (event.kind === "message") {
    if (event.prefix !== cartIntentPrefix) return null;
    const intent = decodeCartIntent(event.content);
    if (intent.cartId !== cartId) return null;
    const { commandType, actor, reason, correlationId, decidedAt, events } = intent;
    return { kind: "intent", op: "m", ...common, intent: { commandType, actor, reason, correlationId, decidedAt, events } };
  }
  if (cartOfRowChange(event) !== cartId) return null;
  return { kind: "row", op: event.op, table: event.source.table, ...common, before: event.before, after: event.after };
}
