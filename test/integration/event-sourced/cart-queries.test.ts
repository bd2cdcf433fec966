import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fold, toCartView } from "../../../services/cart/index.ts";
import type { CartCommand, CommandMetadata } from "../../../services/cart/index.ts";
import { cartAudit } from "../../../services/event-sourced/cart-audit.ts";
import { decodeCartEvent } from "../../../services/event-sourced/cart-event-codec.ts";
import { cartHistory } from "../../../services/event-sourced/cart-history.ts";
import { cartStreamId } from "../../../services/event-sourced/cart-stream.ts";
import { createEventSourcedCartHandler } from "../../../services/event-sourced/event-sourced-cart-handler.ts";
import { journalSchema } from "../../../services/event-sourced/journal-schema.ts";
import { stateAt } from "../../../services/event-sourced/state-at.ts";
import { createLogger } from "../../../services/platform/logger.ts";
import { createJournalFixture } from "./journal-fixture.ts";
import type { JournalFixture } from "./journal-fixture.ts";

let fx: JournalFixture;
const cartId = `q${randomUUID().slice(0, 8)}`;
/** The database clock right after each command committed: the runner's own record of "when". */
const committedAt: string[] = [];
const intents: CommandMetadata[] = [];

const commands: CartCommand[] = [
  { type: "AddItem", cartId, sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 1 },
  { type: "AddItem", cartId, sku: "apple", name: "Apple", unitPriceCents: 150, quantity: 1 },
  { type: "AddItem", cartId, sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 1 },
  { type: "RemoveItem", cartId, sku: "apple" },
  { type: "ApplyDiscount", cartId, discountId: "d1", sku: "banana", minQuantity: 2, amountCents: -10 },
  { type: "AddItem", cartId, sku: "mango", name: "Mango", unitPriceCents: 200, quantity: 1 },
  { type: "CheckOut", cartId },
];

beforeAll(async () => {
  fx = await createJournalFixture("es_query");
  // Snapshots every 3 events, so some reads start from a snapshot and some must not.
  const handler = createEventSourcedCartHandler({ journal: fx.journal, snapshots: fx.snapshots, logger: createLogger("warn"), snapshotEvery: 3 });
  for (const [index, command] of commands.entries()) {
    const intent: CommandMetadata = {
      actor: index === 4 ? "support-bob" : "customer-42",
      reason: index === 4 ? "loyalty programme" : null,
      correlationId: `corr-${index}`,
      decidedAt: new Date(Date.UTC(2024, 4, 1, 10, index)).toISOString(),
    };
    intents.push(intent);
    expect(await handler.handle(command, intent)).toEqual({ ok: true });
    const now = await fx.pool.query<{ at: string }>(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at`);
    committedAt.push(now.rows[0]?.at ?? "");
  }
});

afterAll(async () => {
  await fx?.close();
});

async function viewAfter(version: number) {
  const events = await fx.journal.readStream(cartStreamId(cartId), { toVersion: version });
  return toCartView(fold(events.map(decodeCartEvent)));
}

describe("cart queries on the journal", () => {
  it("give the cart at each version, the seed's checked-out cart at the last one", async () => {
    expect(await stateAt(fx, cartId, { version: 0 })).toBeNull();
    expect(await stateAt(fx, cartId, { version: 2 })).toMatchObject({
      status: "open",
      items: [
        { sku: "apple", quantity: 1 },
        { sku: "banana", quantity: 1 },
      ],
      totalCents: 250,
    });
    for (let version = 1; version <= commands.length; version += 1) {
      expect(await stateAt(fx, cartId, { version })).toEqual(await viewAfter(version));
    }
    expect(await stateAt(fx, cartId, { version: 7 })).toMatchObject({ status: "checked_out", totalCents: 390 });
    expect(await stateAt(fx, cartId, { version: 99 })).toEqual(await stateAt(fx, cartId, { version: 7 }));
  });

  it("give the cart as of a time: before the first event, between commands, and at an event's own recorded time", async () => {
    expect(await stateAt(fx, cartId, { at: "2000-01-01T00:00:00Z" })).toBeNull();
    for (const [index, at] of committedAt.entries()) {
      expect(await stateAt(fx, cartId, { at })).toEqual(await viewAfter(index + 1));
    }
    const history = await cartHistory(fx.journal, cartId);
    expect(await stateAt(fx, cartId, { at: history[3]?.recordedAt ?? "" })).toEqual(await viewAfter(4));
    await expect(stateAt(fx, cartId, { at: "yesterday" })).rejects.toMatchObject({ code: "UsageInvalid" });
  });

  it("list the history with each event's data and metadata, as plain JSON", async () => {
    const history = await cartHistory(fx.journal, cartId);
    expect(history.map((entry) => [entry.streamVersion, entry.type])).toEqual([
      [1, "ItemAdded"],
      [2, "ItemAdded"],
      [3, "ItemAdded"],
      [4, "ItemRemoved"],
      [5, "DiscountApplied"],
      [6, "ItemAdded"],
      [7, "CheckedOut"],
    ]);
    expect(history.map((entry) => entry.metadata)).toEqual(intents);
    expect(history[4]?.data).toEqual({ cartId, discountId: "d1", sku: "banana", minQuantity: 2, amountCents: -10 });
    expect(JSON.parse(JSON.stringify(history))).toEqual(history);
  });

  it("audit who did what, why and when, and show what a hand-made event leaves out", async () => {
    const audit = await cartAudit(fx.journal, cartId);
    expect(audit.map(({ streamVersion, operation, actor, reason, at }) => ({ streamVersion, operation, actor, reason, at }))).toEqual(
      commands.map((_, index) => ({
        streamVersion: index + 1,
        operation: ["ItemAdded", "ItemAdded", "ItemAdded", "ItemRemoved", "DiscountApplied", "ItemAdded", "CheckedOut"][index],
        actor: intents[index]?.actor,
        reason: intents[index]?.reason,
        at: intents[index]?.decidedAt,
      })),
    );

    const other = `q${randomUUID().slice(0, 8)}`;
    await fx.pool.query(
      `INSERT INTO ${journalSchema(fx.schema).events} (stream_id, stream_version, event_id, event_type, schema_version, data)
       VALUES ($1, 1, $2, 'ItemAdded', 2, $3)`,
      [cartStreamId(other), randomUUID(), { cartId: other, sku: "fig", name: "Fig", unitPriceCents: 80, quantity: 1 }],
    );
    const [entry] = await cartAudit(fx.journal, other);
    expect(entry).toMatchObject({ operation: "ItemAdded", actor: null, reason: null, correlationId: null });
    expect(entry?.at).toBe(entry?.recordedAt);
    expect(entry?.at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
