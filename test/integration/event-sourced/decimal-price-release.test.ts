import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CartCommand, CommandMetadata } from "../../../services/cart/index.ts";
import { centsRelease, createCartEventCodec, decimalPriceRelease } from "../../../services/event-sourced/cart-event-codec.ts";
import { createDecimalPriceUpcasters } from "../../../services/event-sourced/cart-upcasters.ts";
import { cartStreamId } from "../../../services/event-sourced/cart-stream.ts";
import { createCartSummaryProjection } from "../../../services/event-sourced/cart-summary-projection.ts";
import { createEventSourcedCartHandler } from "../../../services/event-sourced/event-sourced-cart-handler.ts";
import type { EventJournal } from "../../../services/event-sourced/event-journal.ts";
import { journalSchema } from "../../../services/event-sourced/journal-schema.ts";
import { loadCart } from "../../../services/event-sourced/load-cart.ts";
import { createPostgresEventJournal } from "../../../services/event-sourced/postgres-event-journal.ts";
import { readCartSummary } from "../../../services/event-sourced/read-cart-summary.ts";
import { stateAt } from "../../../services/event-sourced/state-at.ts";
import { createLogger } from "../../../services/platform/logger.ts";
import { createJournalFixture } from "./journal-fixture.ts";
import type { JournalFixture } from "./journal-fixture.ts";

let fx: JournalFixture;
let chain: EventJournal;
const cartId = `dp${randomUUID().slice(0, 8)}`;
const intent: CommandMetadata = { actor: "alice", reason: null, correlationId: "dp", decidedAt: "2024-05-01T10:00:00.000Z" };
const add = (sku: string, unitPriceCents: number, quantity = 1): CartCommand => ({ type: "AddItem", cartId, sku, name: sku, unitPriceCents, quantity });
let deployedAt = "";

beforeAll(async () => {
  fx = await createJournalFixture("es_decimal");
  chain = createPostgresEventJournal({ pool: fx.pool, schema: fx.schema, upcasters: createDecimalPriceUpcasters() });
  // Today's release, then the decimal-price release deployed over the same journal.
  const today = createEventSourcedCartHandler({ journal: fx.journal, snapshots: fx.snapshots, logger: createLogger("warn") });
  expect(await today.handle(add("kiwi", 75, 2), intent)).toEqual({ ok: true });
  expect(await today.handle({ type: "CorrectPrice", cartId, sku: "kiwi", unitPriceCents: 70 }, intent)).toEqual({ ok: true });
  deployedAt = (await fx.journal.readStream(cartStreamId(cartId))).at(-1)?.recordedAt ?? "";
  const decimal = createEventSourcedCartHandler({ journal: chain, snapshots: fx.snapshots, logger: createLogger("warn"), codec: createCartEventCodec(decimalPriceRelease) });
  expect(await decimal.handle(add("kiwi", 70), intent)).toEqual({ ok: true });
  expect(await decimal.handle(add("pear", 119), intent)).toEqual({ ok: true });
  expect(await decimal.handle({ type: "CorrectPrice", cartId, sku: "pear", unitPriceCents: 105 }, intent)).toEqual({ ok: true });
  // The rules still compare in cents, whichever shape the line's events were stored in.
  expect(await decimal.handle(add("kiwi", 75), intent)).toMatchObject({ ok: false, error: { code: "PriceMismatch" } });
});

afterAll(async () => {
  await fx?.close();
});

describe("the decimal-price release over a journal written by today's", () => {
  it("appends the new versions beside the old rows, which stay as they were written", async () => {
    const rows = await fx.pool.query<{ event_type: string; schema_version: number; data: Record<string, unknown> }>(
      `SELECT event_type, schema_version, data - 'cartId' AS data FROM ${journalSchema(fx.schema).events} WHERE stream_id = $1 ORDER BY stream_version`,
      [cartStreamId(cartId)],
    );
    expect(rows.rows).toEqual([
      { event_type: "ItemAdded", schema_version: 2, data: { sku: "kiwi", name: "kiwi", unitPriceCents: 75, quantity: 2 } },
      { event_type: "PriceCorrected", schema_version: 1, data: { sku: "kiwi", unitPriceCents: 70 } },
      { event_type: "ItemAdded", schema_version: 3, data: { sku: "kiwi", name: "kiwi", unitPrice: "0.70", quantity: 1 } },
      { event_type: "ItemAdded", schema_version: 3, data: { sku: "pear", name: "pear", unitPrice: "1.19", quantity: 1 } },
      { event_type: "PriceCorrected", schema_version: 2, data: { sku: "pear", unitPrice: "1.05" } },
    ]);
  });

  it("reads every event at the new version through the upcaster chain, keeping the stored version", async () => {
    const events = await chain.readStream(cartStreamId(cartId));
    expect(events.map((event) => [event.type, event.storedSchemaVersion, event.schemaVersion])).toEqual([
      ["ItemAdded", 2, 3],
      ["PriceCorrected", 1, 2],
      ["ItemAdded", 3, 3],
      ["ItemAdded", 3, 3],
      ["PriceCorrected", 2, 2],
    ]);
    const decimal = createCartEventCodec(decimalPriceRelease);
    expect(events.map((event) => decimal.decode(event))).toHaveLength(5);
  });

  it("folds the mixed history to the same cart, now and as of a past time, through either journal", async () => {
    const expected = { items: [{ sku: "kiwi", unitPriceCents: 70, quantity: 3 }, { sku: "pear", unitPriceCents: 105, quantity: 1 }], subtotalCents: 315 };
    expect((await loadCart({ journal: chain, snapshots: fx.snapshots }, cartId)).state).toMatchObject({ items: expected.items });
    expect((await loadCart(fx, cartId)).state).toMatchObject({ items: expected.items });
    expect(await stateAt({ journal: chain, snapshots: fx.snapshots }, cartId, { at: deployedAt })).toMatchObject({ items: [{ sku: "kiwi", unitPriceCents: 70, quantity: 2 }], subtotalCents: 140 });
    const projection = createCartSummaryProjection({ pool: fx.pool, schema: fx.schema, journal: chain });
    await projection.catchUp();
    expect((await readCartSummary(fx.pool, fx.schema, cartId))?.view).toMatchObject(expected);
  });

  it("is unreadable past the deploy by a consumer built for the old shape, and before it by the new code without the upcaster", async () => {
    const old = createCartEventCodec(centsRelease);
    const decimal = createCartEventCodec(decimalPriceRelease);
    const stored = await fx.journal.readStream(cartStreamId(cartId));
    expect(stored.map((event) => event.schemaVersion)).toEqual([2, 1, 3, 3, 2]);
    const readable = (decode: (event: (typeof stored)[number]) => unknown) =>
      stored.map((event) => {
        try {
          decode(event);
          return true;
        } catch (error) {
          expect(error).toMatchObject({ code: "DecodeFailed" });
          return false;
        }
      });
    expect(readable((event) => old.decode(event))).toEqual([true, true, false, false, false]);
    expect(readable((event) => decimal.decode(event))).toEqual([false, false, true, true, true]);
  });
});
