import { addItem, newCartId, seedCommands, seedView, testMetadata } from "../../support/cart-commands.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CartCommand } from "../../../services/cart/index.ts";
import { createCartUpcasters } from "../../../services/event-sourced/cart-upcasters.ts";
import { cartStreamId } from "../../../services/event-sourced/cart-stream.ts";
import { createEventSourcedCartHandler } from "../../../services/event-sourced/event-sourced-cart-handler.ts";
import { loadCart } from "../../../services/event-sourced/load-cart.ts";
import { createPostgresEventJournal } from "../../../services/event-sourced/postgres-event-journal.ts";
import { createPostgresSnapshotStore } from "../../../services/event-sourced/postgres-snapshot-store.ts";
import { stateAt } from "../../../services/event-sourced/state-at.ts";
import type { StreamVersionConflict } from "../../../services/event-sourced/stream-version-conflict.ts";
import { createLogger } from "../../../services/platform/logger.ts";
import { countingPool } from "./counting-pool.ts";
import { createJournalFixture } from "./journal-fixture.ts";
import type { JournalFixture } from "./journal-fixture.ts";

const logger = createLogger("warn");
let fx: JournalFixture;

beforeAll(async () => {
  fx = await createJournalFixture("es_handler", { poolSize: 24 });
});

afterAll(async () => {
  await fx?.close();
});

const metadata = testMetadata;
const add = addItem;

describe("the event-sourced cart handler", () => {
  it("reproduces the seed example and stores each command's intent with its event", async () => {
    const handler = createEventSourcedCartHandler({ journal: fx.journal, snapshots: fx.snapshots, logger });
    const cartId = newCartId();
    const commands = seedCommands(cartId, "d1");
    const intents = commands.map((_, index) => metadata(index === 4 ? "operator" : "alice", index === 4 ? "loyalty" : null));
    for (const [index, command] of commands.entries()) {
      expect(await handler.handle(command, intents[index] ?? metadata())).toEqual({ ok: true });
    }
    expect(await stateAt(fx, cartId, { version: 7 })).toEqual(seedView(cartId, "d1"));
    const events = await fx.journal.readStream(cartStreamId(cartId));
    expect(events.map((event) => event.type)).toEqual([
      "ItemAdded",
      "ItemAdded",
      "ItemAdded",
      "ItemRemoved",
      "DiscountApplied",
      "ItemAdded",
      "CheckedOut",
    ]);
    expect(events.map((event) => event.metadata)).toEqual(intents);
    expect(events.map((event) => event.storedSchemaVersion)).toEqual([2, 2, 2, 1, 1, 2, 1]);
    expect(await handler.handle(add(cartId, "kiwi", 50), metadata())).toEqual({
      ok: false,
      error: { code: "CartCheckedOut", message: expect.stringContaining(cartId) },
    });
  });

  it("writes nothing for a rejected command or an accepted no-op", async () => {
    const handler = createEventSourcedCartHandler({ journal: fx.journal, snapshots: fx.snapshots, logger });
    const cartId = newCartId();
    const missing = await handler.handle({ type: "RemoveItem", cartId, sku: "apple" }, metadata());
    expect(missing).toMatchObject({ ok: false, error: { code: "CartNotFound" } });
    expect(await fx.journal.streamVersion(cartStreamId(cartId))).toBe(0);

    await handler.handle(add(cartId, "apple", 150), metadata());
    const discount: CartCommand = { type: "ApplyDiscount", cartId, discountId: "d1", sku: "apple", minQuantity: 1, amountCents: -5 };
    expect(await handler.handle(discount, metadata())).toEqual({ ok: true });
    const rejections = [
      await handler.handle(add(cartId, "apple", 151), metadata()),
      await handler.handle(add(cartId, "apple", 150, 10_000), metadata()),
      await handler.handle({ ...discount, amountCents: -6 }, metadata()),
      await handler.handle({ type: "RevokeDiscount", cartId, discountId: "nope" }, metadata()),
    ];
    expect(rejections.map((result) => (result.ok ? "ok" : result.error.code))).toEqual([
      "PriceMismatch",
      "QuantityLimit",
      "DiscountConflict",
      "DiscountNotFound",
    ]);
    // The same discount again is accepted and changes nothing.
    expect(await handler.handle(discount, metadata())).toEqual({ ok: true });
    expect(await fx.journal.streamVersion(cartStreamId(cartId))).toBe(2);
  });

  it("validates raw commands and metadata at the edge, then stores the intent with a generated correlationId and the clock's time", async () => {
    const handler = createEventSourcedCartHandler({ journal: fx.journal, snapshots: fx.snapshots, logger, clock: () => "2024-06-01T12:00:00.000Z" });
    const cartId = newCartId();
    const invalid = await handler.applyRaw({ type: "AddItem", cartId, sku: "banana", name: "Banana", unitPriceCents: -1, quantity: 1 }, { actor: "alice" });
    expect(invalid).toMatchObject({ ok: false, error: { code: "ValidationFailed", message: expect.stringContaining("unitPriceCents") } });
    const anonymous = await handler.applyRaw({ type: "AddItem", cartId, sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 1 }, {});
    expect(anonymous).toMatchObject({ ok: false, error: { code: "ValidationFailed", message: expect.stringContaining("metadata.actor") } });
    const unknown = await handler.applyRaw({ type: "EmptyCart", cartId }, { actor: "alice" });
    expect(unknown).toMatchObject({ ok: false, error: { code: "UnknownCommand" } });
    expect(await fx.journal.streamVersion(cartStreamId(cartId))).toBe(0);

    const accepted = await handler.applyRaw(
      { type: "AddItem", cartId, sku: "banana", name: "  Banana ", unitPriceCents: 100, quantity: 2 },
      { actor: "alice", reason: "phone order" },
    );
    expect(accepted).toEqual({ ok: true });
    const [event] = await fx.journal.readStream(cartStreamId(cartId));
    expect(event?.data).toMatchObject({ name: "Banana", quantity: 2 });
    expect(event?.metadata).toEqual({ actor: "alice", reason: "phone order", correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/), decidedAt: "2024-06-01T12:00:00.000Z" });
  });

  it("loses none of 16 concurrent AddItems on one cart: conflicts surface and retries succeed", async () => {
    const conflicts: Array<{ conflict: StreamVersionConflict; attempt: number }> = [];
    const handler = createEventSourcedCartHandler({
      journal: fx.journal,
      snapshots: fx.snapshots,
      logger,
      onConflict: (conflict, attempt) => conflicts.push({ conflict, attempt }),
    });
    const cartId = newCartId();
    const results = await Promise.all(Array.from({ length: 16 }, () => handler.handle(add(cartId, "banana", 100), metadata())));
    expect(results).toEqual(Array.from({ length: 16 }, () => ({ ok: true })));
    const loaded = await loadCart(fx, cartId);
    expect(loaded.state).toMatchObject({ status: "open", items: [{ sku: "banana", quantity: 16 }] });
    expect(loaded.version).toBe(16);
    const events = await fx.journal.readStream(cartStreamId(cartId));
    expect(events.map((event) => event.streamVersion)).toEqual(Array.from({ length: 16 }, (_, index) => index + 1));
    // Sixteen writers that all read the empty cart cannot all have won the first append.
    expect(conflicts.length).toBeGreaterThan(0);
    for (const { conflict } of conflicts) {
      expect(conflict.streamId).toBe(cartStreamId(cartId));
      expect(conflict.actual).toBeGreaterThan(Number(conflict.expected));
    }
  });

  it("gives up after maxAttempts with the conflict itself, having written nothing for that command", async () => {
    const handler = createEventSourcedCartHandler({ journal: fx.journal, snapshots: fx.snapshots, logger, maxAttempts: 1 });
    const cartId = newCartId();
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => handler.handle(add(cartId, "banana", 100), metadata())));
    const succeeded = outcomes.filter((outcome) => outcome.status === "fulfilled");
    const failed = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason as unknown] : []));
    expect(succeeded.map((outcome) => outcome.value)).toEqual(succeeded.map(() => ({ ok: true })));
    expect(failed.length).toBeGreaterThan(0);
    for (const error of failed) expect(error).toMatchObject({ code: "StreamVersionConflict", streamId: cartStreamId(cartId) });
    // Every success is in the cart and no failure is: the journal holds exactly the winners.
    const loaded = await loadCart(fx, cartId);
    expect(loaded.version).toBe(succeeded.length);
    expect(loaded.state).toMatchObject({ items: [{ sku: "banana", quantity: succeeded.length }] });
  });

  it("costs two round trips for an accepted AddItem on an existing cart: one read of snapshot and events, one append", async () => {
    const counting = countingPool(fx.pool);
    const journal = createPostgresEventJournal({ pool: counting.pool, schema: fx.schema, upcasters: createCartUpcasters() });
    const snapshots = createPostgresSnapshotStore({ pool: counting.pool, schema: fx.schema });
    const handler = createEventSourcedCartHandler({ journal, snapshots, logger, snapshotEvery: 2 });
    const cartId = newCartId();
    for (const sku of ["apple", "banana", "cherry"]) expect(await handler.handle(add(cartId, sku, 100), metadata())).toEqual({ ok: true });
    counting.sent.length = 0;
    // Version 3 to 4 crosses a multiple of snapshotEvery: the snapshot's save is a third statement, after the command.
    expect(await handler.handle(add(cartId, "date", 100), metadata())).toEqual({ ok: true });
    expect(counting.sent.map((statement) => statement.name?.replace(`${fx.schema}.`, "") ?? statement.text)).toEqual([
      "read-from-snapshot",
      "append",
      "save-snapshot",
    ]);
    counting.sent.length = 0;
    expect(await handler.handle(add(cartId, "elderberry", 100), metadata())).toEqual({ ok: true });
    expect(counting.sent.map((statement) => statement.name?.replace(`${fx.schema}.`, "") ?? statement.text)).toEqual(["read-from-snapshot", "append"]);
    expect(await loadCart({ journal, snapshots }, cartId)).toMatchObject({ version: 5, snapshotVersion: 4, snapshotIgnored: null });
  });
});
