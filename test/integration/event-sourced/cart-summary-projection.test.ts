import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fold, toCartView } from "../../../services/cart/index.ts";
import type { CartCommand, CommandMetadata } from "../../../services/cart/index.ts";
import { decodeCartEvent } from "../../../services/event-sourced/cart-event-codec.ts";
import { cartStreamId } from "../../../services/event-sourced/cart-stream.ts";
import { createCartSummaryProjection } from "../../../services/event-sourced/cart-summary-projection.ts";
import { createEventSourcedCartHandler } from "../../../services/event-sourced/event-sourced-cart-handler.ts";
import type { EventSourcedCartHandler } from "../../../services/event-sourced/event-sourced-cart-handler.ts";
import { checkpoint, initialCheckpoint } from "../../../services/event-sourced/global-checkpoint.ts";
import { journalSchema } from "../../../services/event-sourced/journal-schema.ts";
import { startJournalSubscription } from "../../../services/event-sourced/journal-subscription.ts";
import { readCartSummary } from "../../../services/event-sourced/read-cart-summary.ts";
import { createLogger } from "../../../services/platform/logger.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { countingPool } from "./counting-pool.ts";
import { createJournalFixture } from "./journal-fixture.ts";
import type { JournalFixture } from "./journal-fixture.ts";

const logger = createLogger("warn");
let fx: JournalFixture;
let handler: EventSourcedCartHandler;

beforeAll(async () => {
  fx = await createJournalFixture("es_proj");
  handler = createEventSourcedCartHandler({ journal: fx.journal, snapshots: fx.snapshots, logger });
});

afterAll(async () => {
  await fx?.close();
});

const intent: CommandMetadata = { actor: "alice", reason: null, correlationId: "proj", decidedAt: "2024-05-01T10:00:00.000Z" };

function newCartId(): string {
  return `p${randomUUID().slice(0, 8)}`;
}

async function run(...commands: CartCommand[]): Promise<void> {
  for (const command of commands) expect(await handler.handle(command, intent)).toEqual({ ok: true });
}

function add(cartId: string, sku: string, unitPriceCents: number, quantity = 1): CartCommand {
  return { type: "AddItem", cartId, sku, name: sku, unitPriceCents, quantity };
}

async function seedCarts(): Promise<string[]> {
  const [a, b, c] = [newCartId(), newCartId(), newCartId()];
  await run(add(a, "banana", 100), add(b, "apple", 150, 3), add(a, "apple", 150), add(c, "mango", 200));
  await run({ type: "ApplyDiscount", cartId: b, discountId: "d1", sku: "apple", minQuantity: 2, amountCents: -50 });
  await run({ type: "RemoveItem", cartId: a, sku: "apple" }, { type: "CheckOut", cartId: c }, add(a, "banana", 100, 4));
  return [a, b, c];
}

/** What the read model must hold for a cart: the view of the fold of its whole stream. */
async function expectedSummary(cartId: string) {
  const events = await fx.journal.readStream(cartStreamId(cartId));
  return { cartId, streamVersion: events.length, view: toCartView(fold(events.map(decodeCartEvent))) };
}

async function readModelRows(): Promise<unknown[]> {
  const result = await fx.pool.query(`SELECT * FROM ${journalSchema(fx.schema).cartSummaries} ORDER BY cart_id`);
  return result.rows;
}

describe("the cart-summary projection", () => {
  it("holds, for every cart, the view of its folded stream, and its checkpoint is the last event read", async () => {
    const carts = await seedCarts();
    const projection = createCartSummaryProjection({ pool: fx.pool, schema: fx.schema, journal: fx.journal, name: uniqueProjection(), batchSize: 3 });
    const all = await fx.journal.readAll({ after: initialCheckpoint(), limit: 100_000 });
    expect(await projection.catchUp()).toBe(all.events.length);
    for (const cartId of carts) {
      const summary = await readCartSummary(fx.pool, fx.schema, cartId);
      expect(summary).toEqual(await expectedSummary(cartId));
      expect(summary?.view).not.toBeNull();
    }
    expect(await projection.checkpoint()).toEqual(all.checkpoint);
    expect(await projection.runOnce()).toBe(0);
  });

  it("changes nothing when the same events are delivered again: checkpoint reset, or a second runner at once", async () => {
    await seedCarts();
    const name = uniqueProjection();
    const projection = createCartSummaryProjection({ pool: fx.pool, schema: fx.schema, journal: fx.journal, name, batchSize: 4 });
    await projection.catchUp();
    const rows = await readModelRows();
    const end = await projection.checkpoint();

    await projection.resetCheckpoint(initialCheckpoint());
    expect(await projection.catchUp()).toBe((await fx.journal.readAll({ after: initialCheckpoint(), limit: 100_000 })).events.length);
    expect(await readModelRows()).toEqual(rows);
    expect(await projection.checkpoint()).toEqual(end);

    // Halfway back, with two runners of the same projection racing over the same events.
    const middle = (await fx.journal.readAll({ after: initialCheckpoint(), limit: 5 })).checkpoint;
    await projection.resetCheckpoint(middle);
    const rival = createCartSummaryProjection({ pool: fx.pool, schema: fx.schema, journal: fx.journal, name, batchSize: 2 });
    await Promise.all([projection.catchUp(), rival.catchUp()]);
    expect(await readModelRows()).toEqual(rows);
    expect(await projection.checkpoint()).toEqual(end);
  });

  it("reads and writes the rows of a whole batch in one statement each, however many carts it holds", async () => {
    await seedCarts();
    await seedCarts();
    const counting = countingPool(fx.pool);
    const projection = createCartSummaryProjection({ pool: counting.pool, schema: fx.schema, journal: fx.journal, name: uniqueProjection(), batchSize: 100_000 });
    const all = await fx.journal.readAll({ after: initialCheckpoint(), limit: 100_000 });
    const carts = new Set(all.events.map((event) => event.streamId));
    expect(carts.size).toBeGreaterThanOrEqual(6);
    expect(await projection.runOnce()).toBe(all.events.length);
    const summaries = journalSchema(fx.schema).cartSummaries;
    expect(counting.sent.filter((statement) => statement.text.includes(summaries)).map((statement) => statement.name)).toEqual([
      expect.stringContaining("lock-summaries"),
      expect.stringContaining("write-summaries"),
    ]);
  });

  it("lets two projections of different names fold the same carts at once, without deadlock or a row moved back", async () => {
    const carts = await seedCarts();
    const first = createCartSummaryProjection({ pool: fx.pool, schema: fx.schema, journal: fx.journal, name: uniqueProjection(), batchSize: 3 });
    const second = createCartSummaryProjection({ pool: fx.pool, schema: fx.schema, journal: fx.journal, name: uniqueProjection(), batchSize: 5 });
    await fx.pool.query(`DELETE FROM ${journalSchema(fx.schema).cartSummaries}`);
    await Promise.all([first.catchUp(), second.catchUp()]);
    for (const cartId of carts) expect(await readCartSummary(fx.pool, fx.schema, cartId)).toEqual(await expectedSummary(cartId));
  });

  it("rebuilds a lost row from the cart's stream when the next event arrives", async () => {
    const cartId = newCartId();
    await run(add(cartId, "banana", 100), add(cartId, "kiwi", 30, 2), { type: "CorrectPrice", cartId, sku: "kiwi", unitPriceCents: 25 });
    const projection = createCartSummaryProjection({ pool: fx.pool, schema: fx.schema, journal: fx.journal, name: uniqueProjection() });
    await projection.catchUp();
    await fx.pool.query(`DELETE FROM ${journalSchema(fx.schema).cartSummaries} WHERE cart_id = $1`, [cartId]);
    await run(add(cartId, "banana", 100));
    await projection.catchUp();
    const summary = await readCartSummary(fx.pool, fx.schema, cartId);
    expect(summary).toEqual(await expectedSummary(cartId));
    expect(summary?.view?.items).toEqual([
      { sku: "banana", name: "banana", unitPriceCents: 100, quantity: 2 },
      { sku: "kiwi", name: "kiwi", unitPriceCents: 25, quantity: 2 },
    ]);
  });
});

describe("the journal subscription", () => {
  it("is woken by the append's NOTIFY, long before its next poll", async () => {
    const projection = createCartSummaryProjection({ pool: fx.pool, schema: fx.schema, journal: fx.journal, name: uniqueProjection() });
    const recording = recordingPasses(projection.runOnce);
    const subscription = await startJournalSubscription({ pool: fx.pool, schema: fx.schema, logger, process: recording.process, pollIntervalMs: 600_000 });
    try {
      // Idle with ten minutes to its next poll: only the notification can wake it in time.
      await recording.asleep();
      const cartId = newCartId();
      await run(add(cartId, "banana", 100, 3));
      const summary = await waitFor(async () => (await readCartSummary(fx.pool, fx.schema, cartId)) ?? undefined, {
        what: `cart ${cartId} in the read model`,
        timeoutMs: 10_000,
        intervalMs: 20,
      });
      expect(summary).toEqual(await expectedSummary(cartId));
    } finally {
      await subscription.stop();
    }
    expect(await subscription.ended).toBeNull();
  });

  it("catches an event held back by an older open transaction, which notifies nobody when it ends", async () => {
    const projection = createCartSummaryProjection({ pool: fx.pool, schema: fx.schema, journal: fx.journal, name: uniqueProjection() });
    await projection.catchUp();
    const recording = recordingPasses(projection.runOnce);
    const subscription = await startJournalSubscription({ pool: fx.pool, schema: fx.schema, logger, process: recording.process, pollIntervalMs: 600_000 });
    const blocker = await fx.connect();
    try {
      await recording.asleep();
      await blocker.query("BEGIN");
      await blocker.query("SELECT pg_current_xact_id()");
      const cartId = newCartId();
      await run(add(cartId, "banana", 100));
      // Notified and committed, yet below no xmin: the safe reader cannot return it yet.
      expect(await fx.journal.readAll({ after: await projection.checkpoint(), limit: 10 })).toMatchObject({ events: [] });
      expect(await readCartSummary(fx.pool, fx.schema, cartId)).toBeNull();
      await blocker.query("COMMIT");
      const summary = await waitFor(async () => (await readCartSummary(fx.pool, fx.schema, cartId)) ?? undefined, {
        what: `cart ${cartId} in the read model`,
        timeoutMs: 10_000,
        intervalMs: 20,
      });
      expect(summary).toEqual(await expectedSummary(cartId));
    } finally {
      await fx.release(blocker);
      await subscription.stop();
    }
  });

  it("polls for events written without a notification", async () => {
    const projection = createCartSummaryProjection({ pool: fx.pool, schema: fx.schema, journal: fx.journal, name: uniqueProjection() });
    await projection.catchUp();
    const recording = recordingPasses(projection.runOnce);
    const subscription = await startJournalSubscription({ pool: fx.pool, schema: fx.schema, logger, process: recording.process, pollIntervalMs: 100 });
    try {
      await recording.asleep();
      const cartId = newCartId();
      // An operator's hand-written event: plain INSERT, no pg_notify.
      await fx.pool.query(
        `INSERT INTO ${journalSchema(fx.schema).events} (stream_id, stream_version, event_id, event_type, schema_version, data, metadata)
         VALUES ($1, 1, $2, 'ItemAdded', 2, $3, '{"actor": "operator"}')`,
        [cartStreamId(cartId), randomUUID(), { cartId, sku: "fig", name: "Fig", unitPriceCents: 80, quantity: 5 }],
      );
      const summary = await waitFor(async () => (await readCartSummary(fx.pool, fx.schema, cartId)) ?? undefined, {
        what: `cart ${cartId} in the read model`,
        timeoutMs: 10_000,
        intervalMs: 20,
      });
      expect(summary?.view).toMatchObject({ items: [{ sku: "fig", quantity: 5 }], totalCents: 400 });
    } finally {
      await subscription.stop();
    }
  });

  it("stops with an error naming the position of an event it cannot decode, and keeps its checkpoint before it", async () => {
    const poisoned = await createJournalFixture("es_poison");
    try {
      const cartId = newCartId();
      const good = await poisoned.journal.appendToStream(cartStreamId(cartId), "no_stream", [
        { type: "ItemAdded", data: { cartId, sku: "fig", name: "Fig", unitPriceCents: 80, quantity: 1 }, metadata: {}, schemaVersion: 2 },
      ]);
      const bad = await poisoned.journal.appendToStream(cartStreamId(cartId), 1, [
        { type: "ItemAdded", data: { cartId, sku: "fig", colour: "green" }, metadata: {}, schemaVersion: 2 },
      ]);
      const projection = createCartSummaryProjection({ pool: poisoned.pool, schema: poisoned.schema, journal: poisoned.journal });
      const subscription = await startJournalSubscription({
        pool: poisoned.pool,
        schema: poisoned.schema,
        logger: createLogger("fatal"),
        process: projection.runOnce,
        pollIntervalMs: 100,
      });
      const error = await subscription.ended;
      expect(error).toMatchObject({ code: "DecodeFailed", details: { streamId: cartStreamId(cartId), globalPosition: bad.events[0]?.globalPosition } });
      const before = good.events[0];
      expect(await projection.checkpoint()).toEqual(before === undefined ? null : checkpoint(before.transactionId, before.globalPosition));
      expect(await readCartSummary(poisoned.pool, poisoned.schema, cartId)).toMatchObject({ streamVersion: 1 });
    } finally {
      await poisoned.close();
    }
  });
});

/** Wraps a projection's pass to record what each pass returned, so a test can tell when the subscription sleeps. */
function recordingPasses(runOnce: () => Promise<number>) {
  const passes: number[] = [];
  return {
    passes,
    process: async () => {
      const handled = await runOnce();
      passes.push(handled);
      return handled;
    },
    /** The subscription has run a pass that found nothing, so now it sleeps until notified or polled. */
    asleep: () =>
      waitFor(async () => (passes.length > 0 && passes[passes.length - 1] === 0 ? true : undefined), {
        what: "an idle subscription",
        timeoutMs: 10_000,
        intervalMs: 10,
      }),
  };
}

function uniqueProjection(): string {
  return `summary-${randomUUID().slice(0, 8)}`;
}
