import { createCartSummaryProjection } from "../../../services/event-sourced/cart-summary-projection.ts";
import type { CartSummaryProjection } from "../../../services/event-sourced/cart-summary-projection.ts";
import { createCartUpcasters } from "../../../services/event-sourced/cart-upcasters.ts";
import type { EventJournal, RecordedEvent } from "../../../services/event-sourced/event-journal.ts";
import { initialCheckpoint } from "../../../services/event-sourced/global-checkpoint.ts";
import { createPostgresEventJournal } from "../../../services/event-sourced/postgres-event-journal.ts";
import type { OpenedSubject } from "../../model/scenario.ts";

/**
 * The event-sourced subject's journal and read model, for the questions `CartDesigns` does not
 * ask: reading every stream at once, and rebuilding the cart_summaries projection. Built over
 * the subject's own pool and schema, as the designs' composition root builds them.
 */
export function journalOf(subject: OpenedSubject): EventJournal {
  return createPostgresEventJournal({ pool: subject.designs.pool, schema: subject.journalSchema, upcasters: createCartUpcasters() });
}

export function summaryProjectionOf(subject: OpenedSubject): CartSummaryProjection {
  return createCartSummaryProjection({ pool: subject.designs.pool, schema: subject.journalSchema, journal: journalOf(subject) });
}

/** Every event of every stream, in the journal's safe global order. */
export async function readWholeJournal(journal: EventJournal): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let after = initialCheckpoint();
  for (;;) {
    const batch = await journal.readAll({ after, limit: 1_000 });
    if (batch.events.length === 0) return events;
    events.push(...batch.events);
    after = batch.checkpoint;
  }
}
