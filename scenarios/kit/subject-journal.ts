import type { EventJournal, RecordedEvent } from "../../services/event-sourced/event-journal.ts";
import { initialCheckpoint } from "../../services/event-sourced/global-checkpoint.ts";

/** Every event of every stream (an `EsDriver`'s `journal`), in the journal's safe global order. */
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
