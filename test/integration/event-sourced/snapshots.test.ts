import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fold } from "../../../services/cart/index.ts";
import type { CartCommand, CommandMetadata } from "../../../services/cart/index.ts";
import { decodeCartEvent } from "../../../services/event-sourced/cart-event-codec.ts";
import { cartSnapshotSchemaVersion, toCartSnapshot } from "../../../services/event-sourced/cart-snapshot.ts";
import { cartStreamId } from "../../../services/event-sourced/cart-stream.ts";
import { createEventSourcedCartHandler } from "../../../services/event-sourced/event-sourced-cart-handler.ts";
import { loadCart } from "../../../services/event-sourced/load-cart.ts";
import { createLogger } from "../../../services/platform/logger.ts";
import { createJournalFixture } from "./journal-fixture.ts";
import type { JournalFixture } from "./journal-fixture.ts";

let fx: JournalFixture;

beforeAll(async () => {
  fx = await createJournalFixture("es_snap");
});

afterAll(async () => {
  await fx?.close();
});

const intent: CommandMetadata = { actor: "alice", reason: null, correlationId: "snap", decidedAt: "2024-05-01T10:00:00.000Z" };

/** 23 commands that exercise every event type but checkout, so each snapshot holds lines and discounts. */
function workload(cartId: string): CartCommand[] {
  const skus = ["apple", "banana", "cherry", "date"];
  const commands: CartCommand[] = [];
  for (let step = 0; commands.length < 23; step += 1) {
    const sku = skus[step % skus.length] ?? "apple";
    commands.push({ type: "AddItem", cartId, sku, name: sku, unitPriceCents: 100 + (step % skus.length), quantity: 1 + (step % 3) });
    if (step % 5 === 4) commands.push({ type: "CorrectPrice", cartId, sku, unitPriceCents: 100 + (step % skus.length) });
    if (step === 2) commands.push({ type: "ApplyDiscount", cartId, discountId: "d1", sku: "apple", minQuantity: 2, amountCents: -25 });
    if (step === 9) commands.push({ type: "RemoveItem", cartId, sku: "cherry" });
    if (step === 11) commands.push({ type: "RevokeDiscount", cartId, discountId: "d1" });
  }
  return commands.slice(0, 23);
}

async function fullFold(cartId: string, toVersion?: number) {
  const events = await fx.journal.readStream(cartStreamId(cartId), toVersion === undefined ? {} : { toVersion });
  return fold(events.map(decodeCartEvent));
}

async function cartWithSnapshots(): Promise<string> {
  const cartId = `s${randomUUID().slice(0, 8)}`;
  const handler = createEventSourcedCartHandler({ journal: fx.journal, snapshots: fx.snapshots, logger: createLogger("warn"), snapshotEvery: 5 });
  for (const command of workload(cartId)) expect(await handler.handle(command, intent)).toEqual({ ok: true });
  return cartId;
}

describe("cart snapshots", () => {
  it("are taken as the stream crosses each multiple of snapshotEvery, and load to the same state as a full fold", async () => {
    const cartId = await cartWithSnapshots();
    const snapshot = await fx.snapshots.load(cartStreamId(cartId));
    expect(snapshot).toMatchObject({ streamVersion: 20, schemaVersion: cartSnapshotSchemaVersion });
    expect(snapshot?.state).toEqual(await fullFold(cartId, 20));

    const loaded = await loadCart(fx, cartId);
    expect(loaded).toMatchObject({ version: 23, snapshotVersion: 20, snapshotIgnored: null });
    const folded = await fullFold(cartId);
    expect(folded).toMatchObject({ status: "open" });
    expect(loaded.state).toEqual(folded);
  });

  it("are not used for a version before them", async () => {
    const cartId = await cartWithSnapshots();
    const loaded = await loadCart(fx, cartId, { toVersion: 12 });
    expect(loaded).toMatchObject({ version: 12, snapshotVersion: null });
    expect(loaded.state).toEqual(await fullFold(cartId, 12));
    expect(loaded.state).not.toEqual(await fullFold(cartId));
  });

  it("are set aside when in another state shape, and the fold starts from the first event", async () => {
    const cartId = await cartWithSnapshots();
    await fx.snapshots.save({ streamId: cartStreamId(cartId), streamVersion: 21, schemaVersion: 99, state: { shape: "from the future" } });
    const loaded = await loadCart(fx, cartId);
    expect(loaded.snapshotVersion).toBeNull();
    expect(loaded.snapshotIgnored).toContain("v99");
    expect(loaded.state).toEqual(await fullFold(cartId));
  });

  it("keep the newest version when an older save arrives late", async () => {
    const cartId = await cartWithSnapshots();
    const streamId = cartStreamId(cartId);
    expect(await fx.snapshots.save(toCartSnapshot(cartId, 10, await fullFold(cartId, 10)))).toBe(false);
    expect(await fx.snapshots.load(streamId)).toMatchObject({ streamVersion: 20 });
    const newer = await fullFold(cartId, 23);
    expect(await fx.snapshots.save(toCartSnapshot(cartId, 23, newer))).toBe(true);
    expect(await fx.snapshots.load(streamId)).toMatchObject({ streamVersion: 23, state: newer });
  });

  it("come with the events after them in one read, never past the version asked for", async () => {
    const cartId = await cartWithSnapshots();
    const streamId = cartStreamId(cartId);
    const read = fx.journal.readStreamFromSnapshot;
    if (read === undefined) return expect.fail("the PostgreSQL journal reads snapshots with their events");
    const versions = (result: Awaited<ReturnType<typeof read>>) => ({
      snapshot: result.snapshot?.streamVersion ?? null,
      events: result.events.map((event) => event.streamVersion),
    });
    const latest = await read(streamId);
    expect(versions(latest)).toEqual({ snapshot: 20, events: [21, 22, 23] });
    expect(latest.snapshot).toEqual(await fx.snapshots.load(streamId));
    expect(latest.events).toEqual(await fx.journal.readStream(streamId, { fromVersion: 21 }));
    expect(versions(await read(streamId, { toVersion: 20 }))).toEqual({ snapshot: 20, events: [] });
    expect(versions(await read(streamId, { toVersion: 22 }))).toEqual({ snapshot: 20, events: [21, 22] });
    expect(versions(await read(streamId, { toVersion: 3 }))).toEqual({ snapshot: null, events: [1, 2, 3] });
    expect(versions(await read(cartStreamId(`none-${randomUUID()}`)))).toEqual({ snapshot: null, events: [] });
  });
});
