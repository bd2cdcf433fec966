import { describe, expect, it } from "vitest";
import { fold } from "../../../services/cart/index.ts";
import { cartSnapshotSchemaVersion, decodeCartSnapshot, toCartSnapshot } from "../../../services/event-sourced/cart-snapshot.ts";
import type { Snapshot } from "../../../services/event-sourced/snapshot-store.ts";
import { cartId, checkedOut, discount, discountApplied, itemAdded, line } from "../cart/cart-samples.ts";

function stored(snapshot: ReturnType<typeof toCartSnapshot>, overrides: Partial<Snapshot> = {}): Snapshot {
  return { ...snapshot, takenAt: "2024-05-01T10:00:00.000000Z", ...overrides };
}

describe("cart snapshots", () => {
  const open = fold([itemAdded("banana", 100, 2), discountApplied("d1", "banana", 2, -10)]);
  const closed = fold([itemAdded("banana", 100, 2), checkedOut(200, [line("banana", 100, 2)], [discount("d1", "banana", 2, -10)])]);

  it.each([
    ["open", open],
    ["checked out", closed],
  ])("round-trip an %s cart through JSON", (_, state) => {
    const snapshot = toCartSnapshot(cartId, 7, state);
    expect(snapshot).toMatchObject({ streamId: `cart-${cartId}`, streamVersion: 7, schemaVersion: cartSnapshotSchemaVersion });
    expect(decodeCartSnapshot(cartId, stored(JSON.parse(JSON.stringify(snapshot))))).toEqual({ ok: true, state });
  });

  it("set aside a snapshot in another state shape", () => {
    const result = decodeCartSnapshot(cartId, stored(toCartSnapshot(cartId, 7, open), { schemaVersion: cartSnapshotSchemaVersion + 1 }));
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining(`v${cartSnapshotSchemaVersion + 1}`) });
  });

  it("set aside a snapshot that does not decode or holds another cart", () => {
    const broken = stored(toCartSnapshot(cartId, 7, open), { state: { status: "open", cartId, items: "banana" } });
    expect(decodeCartSnapshot(cartId, broken)).toMatchObject({ ok: false, reason: expect.stringContaining("items") });
    expect(decodeCartSnapshot("102", stored(toCartSnapshot(cartId, 7, open)))).toMatchObject({ ok: false, reason: expect.stringContaining(cartId) });
  });
});
