import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initialCheckpoint } from "../../../services/event-sourced/global-checkpoint.ts";
import type { GlobalCheckpoint } from "../../../services/event-sourced/global-checkpoint.ts";
import type { NewEvent, RecordedEvent } from "../../../services/event-sourced/event-journal.ts";
import { createJournalFixture } from "./journal-fixture.ts";
import type { JournalFixture } from "./journal-fixture.ts";

/**
 * The global reader's batches end on transaction boundaries: a projection commits once per
 * batch, so a batch cut inside one atomic append would show a state that never existed.
 * (order.concurrent-writers found that with two appends of 300 events and batches of 500.)
 */
let fx: JournalFixture;
beforeAll(async () => {
  fx = await createJournalFixture("readall");
});
afterAll(async () => {
  await fx?.close();
});

const noted = (count: number): NewEvent[] => Array.from({ length: count }, (_, index) => ({ type: "Noted", data: { n: index + 1 }, metadata: {} }));

async function batches(limit: number): Promise<RecordedEvent[][]> {
  const read: RecordedEvent[][] = [];
  let after: GlobalCheckpoint = initialCheckpoint();
  for (;;) {
    const batch = await fx.journal.readAll({ after, limit });
    if (batch.events.length === 0) return read;
    read.push(batch.events);
    after = batch.checkpoint;
  }
}

describe("readAll's batches", () => {
  it("never end inside an append, and still read every event once in order", async () => {
    const first = await fx.journal.appendToStream("noted-a", "no_stream", noted(300));
    const second = await fx.journal.appendToStream("noted-b", "no_stream", noted(300));
    const third = await fx.journal.appendToStream("noted-c", "no_stream", noted(5));
    const read = await batches(500);
    // 500 falls inside the second append: that batch takes all of it.
    expect(read.map((batch) => batch.length)).toEqual([600, 5]);
    for (const batch of read) {
      const transactions = new Set(batch.map((event) => event.transactionId));
      for (const transactionId of transactions) {
        const whole = [first, second, third].find((appended) => appended.events[0]?.transactionId === transactionId);
        expect(batch.filter((event) => event.transactionId === transactionId).length, transactionId).toBe(whole?.events.length);
      }
    }
    expect(read.flat().map((event) => event.eventId)).toEqual([...first.events, ...second.events, ...third.events].map((event) => event.eventId));
  });

  it("take an append larger than the limit whole, and stop at a boundary when the limit falls on one", async () => {
    const read = await batches(300);
    expect(read.map((batch) => batch.length)).toEqual([300, 300, 5]);
    expect((await batches(100)).map((batch) => batch.length)).toEqual([300, 300, 5]);
  });
});
