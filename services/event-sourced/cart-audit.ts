import { recordedIntent } from "./cart-event-codec.ts";
import { cartStreamId } from "./cart-stream.ts";
import type { EventJournal } from "./event-journal.ts";

export interface CartAuditEntry {
  streamVersion: number;
  /** The event type: in this design the operation is recorded by name, not inferred from row changes. */
  operation: string;
  actor: string | null;
  reason: string | null;
  correlationId: string | null;
  /** When it was decided (the command's clock), else when the journal recorded it. */
  at: string;
  recordedAt: string;
}

/** Who did what to the cart, why and when: one entry per event, oldest first. */
export async function cartAudit(journal: EventJournal, cartId: string): Promise<CartAuditEntry[]> {
  const events = await journal.readStream(cartStreamId(cartId));
  return events.map((event) => {
    const intent = recordedIntent(event.metadata);
    return {
      streamVersion: event.streamVersion,
      operation: event.type,
      actor: intent.actor,
      reason: intent.reason,
      correlationId: intent.correlationId,
      at: intent.decidedAt ?? event.recordedAt,
      recordedAt: event.recordedAt,
    };
  });
}
