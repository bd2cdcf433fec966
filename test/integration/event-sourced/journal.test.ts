import { randomUUID } from "node:crypto";
import type { Notification } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendToStream } from "../../../services/event-sourced/append-to-stream.ts";
import { noUpcasters } from "../../../services/event-sourced/upcasters.ts";
import type { NewEvent } from "../../../services/event-sourced/event-journal.ts";
import { journalSchema } from "../../../services/event-sourced/journal-schema.ts";
import { migrateJournal } from "../../../services/event-sourced/migrate-journal.ts";
import { StreamVersionConflict } from "../../../services/event-sourced/stream-version-conflict.ts";
import { inTransaction } from "../../../services/event-sourced/transaction.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
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
      // Its outcome is awaited from the start: the refusal can arrive while COMMIT's answer is
      // still on its way, and a rejection with no handler yet is reported as unhandled (CI saw it).
      const rival = conflictOf(fx.journal.appendToStream(streamId, 1, [noted(30), noted(31)]));
      await fx.lockWaiters(1);
      await slow.query("COMMIT");
      const conflict = await rival;
      // Compared as plain values so a failure prints both (a class instance diff hides them).
      expect({ expected: conflict.expected, actual: conflict.actual, message: conflict.message }).toEqual({ expected: 1, actual: 2, message: expect.any(String) });
    } finally {
      await fx.release(slow);
    }
    expect((await fx.journal.readStream(streamId)).map((event) => event.data["n"])).toEqual([1, 20]);
  });

  it("reports the version a rival left behind, not its own refused rows, when a batch loses the race for a new stream", async () => {
    const streamId = streamName();
    const slow = await fx.connect();
    try {
      await slow.query("BEGIN");
      await appendToStream(slow, journalSchema(fx.schema), noUpcasters, streamId, "no_stream", [noted(1), noted(2)]);
      // Its first version waits on the slow writer's; its third is free and goes in, then back out.
      // Awaited from the start, as in the test above: its refusal may arrive before COMMIT's answer.
      const rival = conflictOf(fx.journal.appendToStream(streamId, "no_stream", [noted(10), noted(11), noted(12)]));
      await fx.lockWaiters(1);
      await slow.query("COMMIT");
      const conflict = await rival;
      expect({ expected: conflict.expected, actual: conflict.actual }).toEqual({ expected: "no_stream", actual: 2 });
    } finally {
      await fx.release(slow);
    }
    expect((await fx.journal.readStream(streamId)).map((event) => [event.streamVersion, event.data["n"]])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it("queues 'any' appends to one stream behind each other instead of letting them race", async () => {
    const streamId = streamName();
    const first = await fx.connect();
    const second = await fx.connect();
    try {
      await first.query("BEGIN");
      await appendToStream(first, journalSchema(fx.schema), noUpcasters, streamId, "any", [noted(1)]);
      // No retry loop here (the journal's would hide a race): the second call must wait, then follow.
      const queued = appendToStream(second, journalSchema(fx.schema), noUpcasters, streamId, "any", [noted(2)]);
      await fx.lockWaiters(1);
      await first.query("COMMIT");
      expect((await queued).events.map((event) => event.streamVersion)).toEqual([2]);
    } finally {
      await fx.release(first);
      await fx.release(second);
    }
  });

  it("appends 'any' after a writer with an expected version that took the next version first", async () => {
    const streamId = streamName();
    await fx.journal.appendToStream(streamId, "no_stream", [noted(1)]);
    const slow = await fx.connect();
    try {
      await slow.query("BEGIN");
      await appendToStream(slow, journalSchema(fx.schema), noUpcasters, streamId, 1, [noted(2)]);
      const any = fx.journal.appendToStream(streamId, "any", [noted(3)]);
      await fx.lockWaiters(1);
      await slow.query("COMMIT");
      expect((await any).nextExpectedVersion).toBe(3);
    } finally {
      await fx.release(slow);
    }
    expect((await fx.journal.readStream(streamId)).map((event) => event.data["n"])).toEqual([1, 2, 3]);
  });

  it("checks the version of an empty append and writes nothing", async () => {
    const streamId = streamName();
    await fx.journal.appendToStream(streamId, "no_stream", [noted(1)]);
    expect(await fx.journal.appendToStream(streamId, 1, [])).toEqual({ nextExpectedVersion: 1, events: [] });
    expect(await fx.journal.appendToStream(streamId, "any", [])).toEqual({ nextExpectedVersion: 1, events: [] });
    expect(await conflictOf(fx.journal.appendToStream(streamId, "no_stream", []))).toMatchObject({ expected: "no_stream", actual: 1 });
  });

  it("rolls back a new customer's key with a refused append: the key commits with its first event or not at all", async () => {
    const streamId = streamName();
    const customerId = `cu-${randomUUID()}`;
    const customer = { customerId, email: `${customerId}@example.test`, name: "Ada", shippingAddress: "1 Lane" };
    const attached: NewEvent = { type: "Noted", data: { n: 1, customer }, metadata: {} };
    await conflictOf(fx.journal.appendToStream(streamId, 3, [attached]));
    const keys = async () =>
      (await fx.pool.query(`SELECT 1 FROM ${journalSchema(fx.schema).customerKeys} WHERE customer_id = $1`, [customerId])).rowCount;
    expect(await keys()).toBe(0);
    const appended = await fx.journal.appendToStream(streamId, "no_stream", [attached]);
    expect(await keys()).toBe(1);
    // Stored sealed, returned and read back opened.
    const stored = await fx.pool.query<{ data: { customer: Record<string, unknown> } }>(`SELECT data FROM ${journalSchema(fx.schema).events} WHERE stream_id = $1`, [streamId]);
    expect(stored.rows[0]?.data.customer).toMatchObject({ customerId, sealed: expect.any(Object) });
    expect(appended.events[0]?.data["customer"]).toEqual(customer);
    expect((await fx.journal.readStream(streamId))[0]?.data["customer"]).toEqual(customer);
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

  it("notifies the journal's channel with the last position once the append commits, and never for a rolled-back one", async () => {
    const channel = journalSchema(fx.schema).channel;
    const listener = await fx.connect();
    const heard: string[] = [];
    const onNotification = (message: Notification) => {
      if (message.channel === channel) heard.push(message.payload ?? "");
    };
    listener.on("notification", onNotification);
    const writer = await fx.connect();
    // Notifications arrive in commit order: once a marker sent after a step has arrived, anything
    // that step notified (it must not have) would have arrived before it.
    const heardUpTo = async (marker: string) => {
      await fx.pool.query("SELECT pg_notify($1, $2)", [channel, marker]);
      await waitFor(async () => (heard.includes(marker) ? true : undefined), { what: `notification ${marker}`, timeoutMs: 10_000, intervalMs: 20 });
    };
    try {
      await listener.query(`LISTEN "${channel}"`);
      const standalone = await fx.journal.appendToStream(streamName(), "no_stream", [noted(1), noted(2)]);
      await heardUpTo("after-standalone");
      expect(heard).toEqual([standalone.events[1]?.globalPosition, "after-standalone"]);

      heard.length = 0;
      await writer.query("BEGIN");
      const open = await appendToStream(writer, journalSchema(fx.schema), noUpcasters, streamName(), "no_stream", [noted(3)]);
      await heardUpTo("while-open");
      await writer.query("COMMIT");
      await heardUpTo("after-commit");
      expect(heard).toEqual(["while-open", open.events[0]?.globalPosition, "after-commit"]);

      heard.length = 0;
      await writer.query("BEGIN");
      await appendToStream(writer, journalSchema(fx.schema), noUpcasters, streamName(), "no_stream", [noted(4)]);
      await writer.query("ROLLBACK");
      await heardUpTo("after-rollback");
      expect(heard).toEqual(["after-rollback"]);
    } finally {
      listener.off("notification", onNotification);
      await listener.query(`UNLISTEN "${channel}"`);
      await fx.release(listener);
      await fx.release(writer);
    }
  });
});
