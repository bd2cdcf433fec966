import { describe, expect, it } from "vitest";
import { fold } from "../../../services/cart/index.ts";
import type { CartEvent } from "../../../services/cart/index.ts";
import { encodeCartEvent } from "../../../services/event-sourced/cart-event-codec.ts";
import { toCartSnapshot } from "../../../services/event-sourced/cart-snapshot.ts";
import { cartStreamId } from "../../../services/event-sourced/cart-stream.ts";
import type { EventJournal, RecordedEvent } from "../../../services/event-sourced/event-journal.ts";
import { loadCart } from "../../../services/event-sourced/load-cart.ts";
import type { NewSnapshot, Snapshot, SnapshotStore } from "../../../services/event-sourced/snapshot-store.ts";
import { cartId, discountApplied, itemAdded, itemRemoved, priceCorrected } from "../cart/cart-samples.ts";

const history: CartEvent[] = [
  itemAdded("banana", 100, 2),
  itemAdded("mango", 200),
  discountApplied("d1", "banana", 2, -10),
  itemAdded("kiwi", 50, 3),
  priceCorrected("kiwi", 45),
  itemRemoved("mango"),
  itemAdded("apple", 80),
];

function recorded(event: CartEvent, index: number): RecordedEvent {
  const encoded = encodeCartEvent(event, { actor: "alice", reason: null, correlationId: "load", decidedAt: "2024-05-01T10:00:00.000Z" });
  const schemaVersion = encoded.schemaVersion ?? 1;
  return {
    globalPosition: String(index + 1),
    transactionId: String(index + 1),
    streamId: cartStreamId(cartId),
    streamVersion: index + 1,
    eventId: `event-${index + 1}`,
    type: encoded.type,
    schemaVersion,
    storedSchemaVersion: schemaVersion,
    data: encoded.data,
    metadata: encoded.metadata,
    recordedAt: "2024-05-01T10:00:00.000000Z",
  };
}

/** One cart's journal and snapshot in memory, counting the reads `loadCart` makes of them. */
function memoryStore(options: { combinedRead: boolean; snapshot: NewSnapshot | null }) {
  const events = history.map(recorded);
  const stored: Snapshot | null = options.snapshot === null ? null : { ...options.snapshot, takenAt: "2024-05-01T10:00:00.000000Z" };
  const reads: string[] = [];
  const unused = (): never => expect.fail("loadCart does not call this");
  const readStream: EventJournal["readStream"] = async (_streamId, { fromVersion = 1, toVersion = Infinity } = {}) => {
    reads.push("readStream");
    return events.filter((event) => event.streamVersion >= fromVersion && event.streamVersion <= toVersion);
  };
  const journal: EventJournal = {
    appendToStream: unused,
    readStream,
    streamVersion: unused,
    readAll: unused,
    readAllNaive: unused,
    ...(options.combinedRead
      ? {
          async readStreamFromSnapshot(_streamId: string, { toVersion = Infinity }: { toVersion?: number } = {}) {
            reads.push("readStreamFromSnapshot");
            const snapshot = stored !== null && stored.streamVersion <= toVersion ? stored : null;
            const after = snapshot?.streamVersion ?? 0;
            return { snapshot, events: events.filter((event) => event.streamVersion > after && event.streamVersion <= toVersion) };
          },
        }
      : {}),
  };
  const snapshots: SnapshotStore = {
    save: unused,
    async load() {
      reads.push("snapshots.load");
      return stored;
    },
  };
  return { deps: { journal, snapshots }, reads };
}

const fullFold = (toVersion = history.length) => fold(history.slice(0, toVersion));
const snapshotAt = (version: number) => toCartSnapshot(cartId, version, fullFold(version));

describe("loading a cart", () => {
  it.each([
    ["a journal that reads snapshot and events together", true, ["readStreamFromSnapshot"]],
    ["a journal that does not", false, ["snapshots.load", "readStream"]],
  ])("from %s: starts at the snapshot and folds only the events after it", async (_, combinedRead, expectedReads) => {
    const store = memoryStore({ combinedRead, snapshot: snapshotAt(5) });
    expect(await loadCart(store.deps, cartId)).toEqual({ cartId, state: fullFold(), version: 7, snapshotVersion: 5, snapshotIgnored: null });
    expect(store.reads).toEqual(expectedReads);
  });

  const readPaths = [
    ["one read", true],
    ["two reads", false],
  ] as const;

  it.each(readPaths)("in %s: folds from the first event without a snapshot, or for a version before it", async (_, combinedRead) => {
    expect(await loadCart(memoryStore({ combinedRead, snapshot: null }).deps, cartId)).toMatchObject({ state: fullFold(), version: 7, snapshotVersion: null });
    const before = await loadCart(memoryStore({ combinedRead, snapshot: snapshotAt(5) }).deps, cartId, { toVersion: 3 });
    expect(before).toEqual({ cartId, state: fullFold(3), version: 3, snapshotVersion: null, snapshotIgnored: null });
  });

  it.each(readPaths)("in %s: takes a snapshot at the last version as the whole state", async (_, combinedRead) => {
    const store = memoryStore({ combinedRead, snapshot: snapshotAt(7) });
    expect(await loadCart(store.deps, cartId)).toEqual({ cartId, state: fullFold(), version: 7, snapshotVersion: 7, snapshotIgnored: null });
  });

  it("sets a snapshot in another state shape aside, and reads the events it stood for in a second read", async () => {
    const store = memoryStore({ combinedRead: true, snapshot: { ...snapshotAt(5), schemaVersion: 99 } });
    const loaded = await loadCart(store.deps, cartId, { toVersion: 6 });
    expect(loaded).toEqual({ cartId, state: fullFold(6), version: 6, snapshotVersion: null, snapshotIgnored: expect.stringContaining("v99") });
    expect(store.reads).toEqual(["readStreamFromSnapshot", "readStream"]);
  });
});
