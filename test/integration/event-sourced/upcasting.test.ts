import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommandMetadata } from "../../../services/cart/index.ts";
import { cartHistory } from "../../../services/event-sourced/cart-history.ts";
import { cartStreamId } from "../../../services/event-sourced/cart-stream.ts";
import { createCartSummaryProjection } from "../../../services/event-sourced/cart-summary-projection.ts";
import { createEventSourcedCartHandler } from "../../../services/event-sourced/event-sourced-cart-handler.ts";
import { journalSchema } from "../../../services/event-sourced/journal-schema.ts";
import { loadCart } from "../../../services/event-sourced/load-cart.ts";
import { createPostgresEventJournal } from "../../../services/event-sourced/postgres-event-journal.ts";
import { readCartSummary } from "../../../services/event-sourced/read-cart-summary.ts";
import { createLogger } from "../../../services/platform/logger.ts";
import { createJournalFixture } from "./journal-fixture.ts";
import type { JournalFixture } from "./journal-fixture.ts";

let fx: JournalFixture;
const cartId = `u${randomUUID().slice(0, 8)}`;
const oldEventId = randomUUID();
const v1Data = { cartId, sku: "banana", name: "Banana", price: "0.29", quantity: 3 };

beforeAll(async () => {
  fx = await createJournalFixture("es_upcast");
  // What an earlier release wrote: ItemAdded v1 with the price as a decimal string.
  await fx.pool.query(
    `INSERT INTO ${journalSchema(fx.schema).events} (stream_id, stream_version, event_id, event_type, schema_version, data, metadata)
     VALUES ($1, 1, $2, 'ItemAdded', 1, $3, $4)`,
    [cartStreamId(cartId), oldEventId, v1Data, { actor: "legacy-app" }],
  );
});

afterAll(async () => {
  await fx?.close();
});

const intent: CommandMetadata = { actor: "alice", reason: null, correlationId: "up", decidedAt: "2024-05-01T10:00:00.000Z" };

describe("a stored ItemAdded v1", () => {
  it("reads as the current v2 while the row keeps its stored v1 shape", async () => {
    const [event] = await fx.journal.readStream(cartStreamId(cartId));
    expect(event).toMatchObject({
      eventId: oldEventId,
      schemaVersion: 2,
      storedSchemaVersion: 1,
      data: { cartId, sku: "banana", name: "Banana", unitPriceCents: 29, quantity: 3 },
    });
    expect(event?.data).not.toHaveProperty("price");
    const row = await fx.pool.query(`SELECT schema_version, data FROM ${journalSchema(fx.schema).events} WHERE event_id = $1`, [oldEventId]);
    expect(row.rows).toEqual([{ schema_version: 1, data: v1Data }]);
    expect((await cartHistory(fx.journal, cartId))[0]).toMatchObject({ schemaVersion: 2, storedSchemaVersion: 1, data: { unitPriceCents: 29 } });
  });

  it("takes part in the rules, the fold and the projection like any current event", async () => {
    const handler = createEventSourcedCartHandler({ journal: fx.journal, snapshots: fx.snapshots, logger: createLogger("warn") });
    // The price rule compares against the upcast cents: 29 matches, 30 does not.
    expect(await handler.handle({ type: "AddItem", cartId, sku: "banana", name: "Banana", unitPriceCents: 30, quantity: 1 }, intent)).toMatchObject({
      ok: false,
      error: { code: "PriceMismatch" },
    });
    expect(await handler.handle({ type: "AddItem", cartId, sku: "banana", name: "Banana", unitPriceCents: 29, quantity: 1 }, intent)).toEqual({ ok: true });
    const loaded = await loadCart(fx, cartId);
    expect(loaded.state).toMatchObject({ items: [{ sku: "banana", unitPriceCents: 29, quantity: 4 }] });
    const projection = createCartSummaryProjection({ pool: fx.pool, schema: fx.schema, journal: fx.journal });
    await projection.catchUp();
    expect((await readCartSummary(fx.pool, fx.schema, cartId))?.view).toMatchObject({ subtotalCents: 116, totalCents: 116 });
  });

  it("cannot be read as a cart event by a journal without the upcaster", async () => {
    const bare = createPostgresEventJournal({ pool: fx.pool, schema: fx.schema });
    const [event] = await bare.readStream(cartStreamId(cartId));
    expect(event).toMatchObject({ schemaVersion: 1, data: { price: "0.29" } });
    await expect(loadCart({ journal: bare, snapshots: fx.snapshots }, cartId)).rejects.toMatchObject({
      code: "DecodeFailed",
      details: { streamId: cartStreamId(cartId), streamVersion: 1, schemaVersion: 1 },
    });
  });
});
