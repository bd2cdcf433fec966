import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendToStream } from "../../../services/event-sourced/append-to-stream.ts";
import { noUpcasters } from "../../../services/event-sourced/upcasters.ts";
import type { NewEvent } from "../../../services/event-sourced/event-journal.ts";
import { journalSchema } from "../../../services/event-sourced/journal-schema.ts";
import { migrateJournal } from "../../../services/event-sourced/migrate-journal.ts";
import { StreamVersionConflict } from "../../../services/event-sourced/stream-version-conflict.ts";
import { inTransaction } from "../../../services/event-sourced/transaction.ts";
import { createJournalFixture } from "./journal-fixture.ts";
import type { JournalFixture } from "./journal-fixture.ts";

let fx: JournalFixture;

beforeAll(async () => {
  fx = await createJournalFixture("es_journal");
});

afterAll(async () => {
  await fx?.close();
});

function noted(n: number, metadata: NewEvent["metadata"] = { actor: "test" }): NewEvent {
  return { type: "Noted", data: { n }, metadata };
}

function streamName(): string {
  return `note-${randomUUID()}`;
}

async function rowCount(streamId: string): Promise<number> {
  const result = await fx.pool.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${journalSchema(fx.schema).events} WHERE stream_id = $1`, [streamId]);
  return result.rows[0]?.count ?? -1;
}

async function conflictOf(work: Promise<unknown>): Promise<StreamVersionConflict> {
  const error = await work.then(
    () => expect.fail("expected a StreamVersionConflict, but the append went through"),
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(StreamVersionConflict);
  return error as StreamVersionConflict;
}

describe("the PostgreSQL event journal", () => {
  it("appends a batch and reads it back in version order with positions, transaction and time", async () => {
    const streamId = streamName();
    const eventId = randomUUID();
    const appended = await fx.journal.appendToStream(streamId, "no_stream", [
      { ...noted(1, { actor: "alice", reason: "first" }), eventId },
      { ...noted(2), schemaVersion: 3 },
      noted(3),
    ]);
    expect(appended.nextExpectedVersion).toBe(3);
    const read = await fx.journal.readStream(streamId);
    expect(read).toEqual(appended.events);
    expect(read.map((event) => [event.streamVersion, event.type, event.data, event.storedSchemaVersion])).toEqual([
      [1, "Noted", { n: 1 }, 1],
      [2, "Noted", { n: 2 }, 3],
      [3, "Noted", { n: 3 }, 1],
    ]);
    expect(read[0]?.eventId).toBe(eventId);
    expect(read[0]?.metadata).toEqual({ actor: "alice", reason: "first" });
    // One transaction, consecutive positions in version order.
    expect(new Set(read.map((event) => event.transactionId)).size).toBe(1);
    const positions = read.map((event) => BigInt(event.globalPosition));
    expect(positions[1]).toBe((positions[0] ?? 0n) + 1n);
    expect(positions[2]).toBe((positions[0] ?? 0n) + 2n);
    expect(read[0]?.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(await fx.journal.streamVersion(streamId)).toBe(3);
    expect(await fx.journal.streamVersion(streamName())).toBe(0);
  });

  it("continues a stream at its expected version", async () => {
    const streamId = streamName();
    await fx.journal.appendToStream(streamId, 0, [noted(1)]);
    const next = await fx.journal.appendToStream(streamId, 1, [noted(2), noted(3)]);
    expect(next.events.map((event) => event.streamVersion)).toEqual([2, 3]);
    expect((await fx.journal.readStream(streamId)).map((event) => event.data["n"])).toEqual([1, 2, 3]);
  });

  it("refuses a stale expected version with a typed conflict and writes nothing", async () => {
    const streamId = streamName();
    await fx.journal.appendToStream(streamId, "no_stream", [noted(1), noted(2)]);
    const stale = await conflictOf(fx.journal.appendToStream(streamId, 1, [noted(3), noted(4)]));
    expect(stale).toMatchObject({ code: "StreamVersionConflict", retriable: true, streamId, expected: 1, actual: 2 });
    const exists = await conflictOf(fx.journal.appendToStream(streamId, "no_stream", [noted(3)]));
    expect(exists).toMatchObject({ expected: "no_stream", actual: 2 });
    const ahead = await conflictOf(fx.journal.appendToStream(streamName(), 4, [noted(1)]));
    expect(ahead).toMatchObject({ expected: 4, actual: 0 });
    expect(await rowCount(streamId)).toBe(2);
    expect((await fx.journal.readStream(streamId)).map((event) => event.data["n"])).toEqual([1, 2]);
  });

  it("lets exactly one of two writers at the same version win, even when both passed the version check", async () => {
    const streamId = streamName();
    await fx.journal.appendToStream(streamId, "no_stream", [noted(1)]);
    const slow = await fx.connect();
    try {
      await slow.query("BEGIN");
      await appendToStream(slow, journalSchema(fx.schema), noUpcasters, streamId, 1, [noted(20)]);
      // The rival reads version 1 too (the slow append is uncommitted) and then waits on the unique index.
      const rival = fx.journal.appendToStream(streamId, 1, [noted(30), noted(31)]);
      await fx.lockWaiters(1);
      await slow.query("COMMIT");
      const conflict = await conflictOf(rival);
      // Compared as plain values so a failure prints both (a class instance diff hides them).
      expect({ expected: conflict.expected, actual: conflict.actual, message: conflict.message }).toEqual({ expected: 1, actual: 2, message: expect.any(String) });
    } finally {
      await fx.release(slow);
    }
    expect((await fx.journal.readStream(streamId)).map((event) => event.data["n"])).toEqual([1, 20]);
  });

  it("never fails an 'any' append on concurrency: every concurrent writer gets its own versions", async () => {
    const streamId = streamName();
    await Promise.all(Array.from({ length: 12 }, (_, n) => fx.journal.appendToStream(streamId, "any", [noted(n)])));
    const read = await fx.journal.readStream(streamId);
    expect(read.map((event) => event.streamVersion)).toEqual(Array.from({ length: 12 }, (_, n) => n + 1));
    expect(read.map((event) => event.data["n"]).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 12 }, (_, n) => n));
  });

  it("writes a batch atomically: when its last event fails, none of it is stored", async () => {
    const streamId = streamName();
    const taken = randomUUID();
    await fx.journal.appendToStream(streamName(), "no_stream", [{ ...noted(0), eventId: taken }]);
    const failing = fx.journal.appendToStream(streamId, "no_stream", [noted(1), noted(2), { ...noted(3), eventId: taken }]);
    await expect(failing).rejects.toMatchObject({ code: "23505", constraint: "events_event_id_key" });
    expect(await rowCount(streamId)).toBe(0);
    // The stream is still free: the refused batch left no version behind.
    await fx.journal.appendToStream(streamId, "no_stream", [noted(4)]);
    expect((await fx.journal.readStream(streamId)).map((event) => [event.streamVersion, event.data["n"]])).toEqual([[1, 4]]);
  });

  it("is append-only: the database refuses UPDATE, DELETE and TRUNCATE", async () => {
    const streamId = streamName();
    await fx.journal.appendToStream(streamId, "no_stream", [noted(1), noted(2)]);
    const before = await fx.journal.readStream(streamId);
    const events = journalSchema(fx.schema).events;
    const attempts = [
      `UPDATE ${events} SET data = '{"n": 99}' WHERE stream_id = '${streamId}'`,
      `UPDATE ${events} SET data = data WHERE false`,
      `DELETE FROM ${events} WHERE stream_id = '${streamId}'`,
      `TRUNCATE ${events}`,
    ];
    for (const sql of attempts) {
      await expect(fx.pool.query(sql), sql).rejects.toMatchObject({
        code: "23001",
        message: expect.stringContaining("the journal is append-only"),
      });
    }
    expect(await fx.journal.readStream(streamId)).toEqual(before);
  });

  it("reads a stream from and up to a version, and up to a recorded time", async () => {
    const streamId = streamName();
    for (let n = 1; n <= 5; n += 1) await fx.journal.appendToStream(streamId, n - 1, [noted(n)]);
    const all = await fx.journal.readStream(streamId);
    expect((await fx.journal.readStream(streamId, { toVersion: 2 })).map((event) => event.data["n"])).toEqual([1, 2]);
    expect((await fx.journal.readStream(streamId, { fromVersion: 4 })).map((event) => event.data["n"])).toEqual([4, 5]);
    expect((await fx.journal.readStream(streamId, { fromVersion: 2, toVersion: 3 })).map((event) => event.data["n"])).toEqual([2, 3]);
    // The third event's own microsecond time includes it and nothing later.
    const third = all[2]?.recordedAt ?? "";
    expect((await fx.journal.readStream(streamId, { toRecordedAt: third })).map((event) => event.data["n"])).toEqual([1, 2, 3]);
    expect(await fx.journal.readStream(streamId, { toRecordedAt: "2000-01-01T00:00:00Z" })).toEqual([]);
  });

  it("migrates idempotently, also when several migrations race", async () => {
    const streamId = streamName();
    await fx.journal.appendToStream(streamId, "no_stream", [noted(1)]);
    const clients = await Promise.all([fx.connect(), fx.connect(), fx.connect()]);
    try {
      await Promise.all(clients.map((client) => migrateJournal(client, fx.schema)));
    } finally {
      for (const client of clients) client.release();
    }
    expect((await fx.journal.readStream(streamId)).map((event) => event.data["n"])).toEqual([1]);
    await expect(fx.pool.query(`DELETE FROM ${journalSchema(fx.schema).events}`)).rejects.toMatchObject({ code: "23001" });
  });

  it("rolls the caller's transaction back as a whole, notification included", async () => {
    const streamId = streamName();
    const client = await fx.connect();
    try {
      await expect(
        inTransaction(client, async () => {
          await appendToStream(client, journalSchema(fx.schema), noUpcasters, streamId, "no_stream", [noted(1)]);
          throw new Error("the caller changed its mind");
        }),
      ).rejects.toThrow("changed its mind");
    } finally {
      await fx.release(client);
    }
    expect(await rowCount(streamId)).toBe(0);
  });
});
