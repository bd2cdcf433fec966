import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendToStream } from "../../../services/event-sourced/append-to-stream.ts";
import type { NewEvent, RecordedEvent } from "../../../services/event-sourced/event-journal.ts";
import { compareCheckpoints, initialCheckpoint } from "../../../services/event-sourced/global-checkpoint.ts";
import type { GlobalCheckpoint } from "../../../services/event-sourced/global-checkpoint.ts";
import { journalSchema } from "../../../services/event-sourced/journal-schema.ts";
import { noUpcasters } from "../../../services/event-sourced/upcasters.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { createJournalFixture } from "./journal-fixture.ts";
import type { JournalFixture } from "./journal-fixture.ts";

let fx: JournalFixture;

beforeAll(async () => {
  fx = await createJournalFixture("es_order", { poolSize: 30 });
});

afterAll(async () => {
  await fx?.close();
});

function noted(label: string): NewEvent {
  return { type: "Noted", data: { label }, metadata: {} };
}

/** The safe reader as a projection drives it: batches from a checkpoint. */
function safeReader() {
  let at: GlobalCheckpoint = initialCheckpoint();
  const seen: RecordedEvent[] = [];
  return {
    seen,
    async poll(): Promise<RecordedEvent[]> {
      const fresh: RecordedEvent[] = [];
      for (;;) {
        const batch = await fx.journal.readAll({ after: at, limit: 7 });
        if (batch.events.length === 0) break;
        at = batch.checkpoint;
        fresh.push(...batch.events);
      }
      seen.push(...fresh);
      return fresh;
    },
  };
}

/** The obvious poller: remember the highest position, ask for what comes after it. */
function naiveReader() {
  let last = "0";
  const seen: RecordedEvent[] = [];
  return {
    seen,
    async poll(): Promise<RecordedEvent[]> {
      const fresh = await fx.journal.readAllNaive(last, 1_000);
      const tail = fresh[fresh.length - 1];
      if (tail) last = tail.globalPosition;
      seen.push(...fresh);
      return fresh;
    },
  };
}

const labels = (events: readonly RecordedEvent[]): unknown[] => events.map((event) => event.data["label"]);

/**
 * Polls `poll` until `done` holds for everything it returned, and returns all of it. The safe
 * reader holds back behind any transaction open anywhere in the cluster (other tests' on a shared
 * stack too), so "once the writers committed" is a defined end state to wait for, not a moment.
 */
async function pollUntil(poll: () => Promise<RecordedEvent[]>, done: (events: RecordedEvent[]) => boolean, what: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  await waitFor(
    async () => {
      events.push(...(await poll()));
      return done(events) ? true : undefined;
    },
    { what, timeoutMs: 20_000, intervalMs: 20 },
  );
  return events;
}

describe("reading the whole journal in global order", () => {
  it("misses nothing from a slow transaction that commits after faster ones, where the naive poller skips it", async () => {
    const safe = safeReader();
    const naive = naiveReader();
    const slow = await fx.connect();
    try {
      // The slow writer takes the lowest position first and keeps its transaction open.
      await slow.query("BEGIN");
      const [slowEvent] = (await appendToStream(slow, journalSchema(fx.schema), noUpcasters, `note-${randomUUID()}`, "no_stream", [noted("slow")])).events;
      await fx.journal.appendToStream(`note-${randomUUID()}`, "no_stream", [noted("fast-1")]);
      await fx.journal.appendToStream(`note-${randomUUID()}`, "no_stream", [noted("fast-2")]);

      expect(labels(await naive.poll())).toEqual(["fast-1", "fast-2"]);
      // Committed events exist, but an older transaction is still open: the safe reader waits.
      expect(await safe.poll()).toEqual([]);

      await slow.query("COMMIT");
      const naiveAfter = await naive.poll();
      const safeAfter = await pollUntil(() => safe.poll(), (events) => events.length >= 3, "the safe reader to return the three committed events");

      // The slow event is committed and sits below the naive poller's mark: it will never be read.
      expect(naiveAfter).toEqual([]);
      expect(labels(naive.seen)).toEqual(["fast-1", "fast-2"]);
      expect(BigInt(slowEvent?.globalPosition ?? "0")).toBeLessThan(BigInt(naive.seen[0]?.globalPosition ?? "0"));
      const stored = await fx.pool.query(`SELECT 1 FROM ${journalSchema(fx.schema).events} WHERE event_id = $1`, [slowEvent?.eventId]);
      expect(stored.rowCount).toBe(1);

      // The safe reader returns all three, the slow one first: ordered by writing transaction.
      expect(labels(safeAfter)).toEqual(["slow", "fast-1", "fast-2"]);
      expect(await safe.poll()).toEqual([]);
    } finally {
      await fx.release(slow);
    }
  });

  it("returns every committed event exactly once, and no rolled-back one, under interleaved slow, fast and failing writers", async () => {
    const safe = safeReader();
    const start = await fx.journal.readAllNaive("0", 1_000_000);
    const before = new Set(start.map((event) => event.eventId));
    const committed = new Set<string>();
    const rolledBack = new Set<string>();
    let writing = true;

    async function writer(index: number): Promise<void> {
      const client = await fx.connect();
      try {
        for (let round = 0; round < 6; round += 1) {
          const label = `w${index}-r${round}`;
          const rollback = (index + round) % 5 === 0;
          await client.query("BEGIN");
          const appended = await appendToStream(client, journalSchema(fx.schema), noUpcasters, `note-${randomUUID()}`, "no_stream", [
            noted(`${label}-a`),
            noted(`${label}-b`),
          ]);
          // Hold some transactions open while others commit past them.
          if ((index + round) % 3 === 0) await client.query("SELECT pg_sleep($1)", [0.02 + (index % 4) * 0.03]);
          if (rollback) {
            await client.query("ROLLBACK");
            for (const event of appended.events) rolledBack.add(event.eventId);
          } else {
            await client.query("COMMIT");
            for (const event of appended.events) committed.add(event.eventId);
          }
        }
      } finally {
        await fx.release(client);
      }
    }

    const polling = (async () => {
      while (writing) await safe.poll();
    })();
    await Promise.all(Array.from({ length: 12 }, (_, index) => writer(index)));
    writing = false;
    await polling;
    await pollUntil(
      () => safe.poll(),
      () => [...committed].every((eventId) => safe.seen.some((event) => event.eventId === eventId)),
      "the safe reader to return every committed event",
    );

    const seenIds = safe.seen.map((event) => event.eventId).filter((id) => !before.has(id));
    expect(committed.size).toBeGreaterThan(100);
    expect(rolledBack.size).toBeGreaterThan(0);
    expect(new Set(seenIds).size).toBe(seenIds.length);
    expect(new Set(seenIds)).toEqual(committed);
    expect(seenIds.filter((id) => rolledBack.has(id))).toEqual([]);
    // Delivered in checkpoint order, which is what lets a single checkpoint stand for "all before".
    for (let i = 1; i < safe.seen.length; i += 1) {
      const previous = safe.seen[i - 1];
      const current = safe.seen[i];
      if (!previous || !current) continue;
      expect(
        compareCheckpoints(
          { transactionId: previous.transactionId, globalPosition: previous.globalPosition },
          { transactionId: current.transactionId, globalPosition: current.globalPosition },
        ),
      ).toBeLessThan(0);
    }
  });
});

describe("positions across a power of ten", () => {
  // Positions 9 and 10 in one transaction: sorted as text, "10" comes before "9", which once
  // made the checkpoint repeat one event and skip another. Fixed positions make that certain.
  let tens: JournalFixture;
  beforeAll(async () => {
    tens = await createJournalFixture("es_tens");
    await tens.pool.query(`ALTER TABLE ${journalSchema(tens.schema).events} ALTER COLUMN global_position RESTART WITH 9`);
  });
  afterAll(async () => {
    await tens?.close();
  });

  it("are read once each, in numeric order, by both readers, one event per batch", async () => {
    await tens.journal.appendToStream(`note-${randomUUID()}`, "no_stream", [noted("nine"), noted("ten")]);
    await tens.journal.appendToStream(`note-${randomUUID()}`, "no_stream", [noted("eleven")]);
    let at: GlobalCheckpoint = initialCheckpoint();
    const oneBatch = async () => {
      const read = await tens.journal.readAll({ after: at, limit: 1 });
      at = read.checkpoint;
      return read.events;
    };
    const safe = await pollUntil(oneBatch, (events) => events.length >= 3, "the safe reader to return the three events");
    expect(safe.map((event) => `${event.globalPosition}:${String(event.data["label"])}`)).toEqual(["9:nine", "10:ten", "11:eleven"]);
    const naive: string[] = [];
    let position = "0";
    for (let batch = 0; batch < 10; batch += 1) {
      const [event] = await tens.journal.readAllNaive(position, 1);
      if (event === undefined) break;
      naive.push(event.globalPosition);
      position = event.globalPosition;
    }
    expect(naive).toEqual(["9", "10", "11"]);
  });
});
