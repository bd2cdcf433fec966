import { describe, expect, it } from "vitest";
import { cartCheckedOutOutboxRecord } from "../../../services/crud-cdc/crud/cart-outbox.ts";
import { checkoutMessageOf } from "../../../services/event-sourced/checkout-publisher.ts";
import type { RecordedEvent } from "../../../services/event-sourced/event-journal.ts";
import { LabError } from "../../../services/platform/errors.ts";
import { decodeCheckoutRecord } from "../../../services/shipping/checkout-message.ts";
import type { RawCheckoutRecord } from "../../../services/shipping/checkout-message.ts";

const position = { topic: "checkout.crud", partition: 2, offset: "41" };
const eventId = "9af4df35-269a-4dd6-a925-f2f5de111566";
const items = [{ sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 2 }];
const discounts = [{ discountId: "d1", sku: "banana", minQuantity: 2, amountCents: -10 }];

// A record as Debezium 3.6.1's Outbox Event Router wrote it on the lab's stack (field order and
// context headers included), for a cart checked out without discounts: the empty array is gone.
const outboxRecord = (): RawCheckoutRecord => ({
  key: Buffer.from("101"),
  value: Buffer.from(
    `{"items":[{"sku":"banana","name":"Banana","quantity":2,"unitPriceCents":100}],"cartId":"101","eventId":"${eventId}","totalCents":200,"checkedOutAt":"2024-01-01T00:00:00.000Z"}`,
  ),
  headers: {
    "__debezium.context.connectorLogicalName": Buffer.from("probe"),
    "__debezium.context.taskId": Buffer.from("0"),
    id: Buffer.from(eventId),
    eventType: Buffer.from("CartCheckedOut"),
  },
});

function decodeFailure(record: RawCheckoutRecord): LabError {
  try {
    decodeCheckoutRecord(record, position);
  } catch (error) {
    if (error instanceof LabError) return error;
    throw error;
  }
  throw new Error("expected the record to be refused");
}

describe("decoding a checkout message", () => {
  it("reads the Outbox Event Router's record and restores the empty discounts Debezium dropped", () => {
    const message = decodeCheckoutRecord(outboxRecord(), position);
    expect(message).toEqual({
      position,
      eventId,
      cartId: "101",
      payload: { eventId, cartId: "101", items, discounts: [], totalCents: 200, checkedOutAt: "2024-01-01T00:00:00.000Z" },
    });
  });

  it("reads design 1's outbox payload and design 2's published message as the same checkout", () => {
    const checkedOut = { type: "CheckedOut" as const, cartId: "101", items, discounts, totalCents: 190 };
    const outbox = cartCheckedOutOutboxRecord(checkedOut, eventId, "2025-01-02T03:04:05.000Z");
    const fromOutbox = decodeCheckoutRecord(
      { key: outbox.aggregateid, value: JSON.stringify(outbox.payload), headers: { id: outbox.id, eventType: outbox.type } },
      position,
    );
    const recorded: RecordedEvent = {
      globalPosition: "7",
      transactionId: "900",
      streamId: "cart-101",
      streamVersion: 5,
      eventId,
      type: "CheckedOut",
      schemaVersion: 1,
      storedSchemaVersion: 1,
      data: { cartId: "101", items, discounts, totalCents: 190 },
      metadata: { actor: "alice", correlationId: "c1", decidedAt: "2025-01-02T03:04:05.000Z" },
      recordedAt: "2025-01-02T03:04:05.123456Z",
    };
    const published = checkoutMessageOf(recorded, checkedOut);
    const fromJournal = decodeCheckoutRecord(published, { ...position, topic: "checkout.es" });
    expect(published.key).toBe("101");
    expect(published.headers).toEqual({ id: eventId, eventType: "CartCheckedOut" });
    expect(fromJournal.payload).toEqual(fromOutbox.payload);
    expect(fromJournal.payload).toEqual({ eventId, cartId: "101", items, discounts, totalCents: 190, checkedOutAt: "2025-01-02T03:04:05.000Z" });
  });

  it("stamps a journal event written without a decision time with the time the journal recorded it", () => {
    const recorded = {
      eventId,
      streamId: "cart-101",
      metadata: {},
      recordedAt: "2025-01-02T03:04:05.123456Z",
    } as unknown as RecordedEvent;
    const published = checkoutMessageOf(recorded, { type: "CheckedOut", cartId: "101", items, discounts: [], totalCents: 200 });
    expect(decodeCheckoutRecord(published, position).payload.checkedOutAt).toBe("2025-01-02T03:04:05.123456Z");
  });

  it("accepts a header kafkajs hands over as a one-element array", () => {
    const record = outboxRecord();
    record.headers["id"] = [Buffer.from(eventId)];
    expect(decodeCheckoutRecord(record, position).eventId).toBe(eventId);
  });

  it.each<[string, (record: RawCheckoutRecord) => void, string]>([
    ["a null value (a tombstone)", (record) => (record.value = null), "the value is null"],
    ["a value that is not JSON", (record) => (record.value = Buffer.from("this is not JSON")), "the value is not JSON"],
    ["a payload without items", (record) => (record.value = Buffer.from(`{"cartId":"101","eventId":"${eventId}","items":[],"totalCents":0,"checkedOutAt":"2024-01-01T00:00:00Z"}`)), "items"],
    ["a negative total", (record) => (record.value = Buffer.from(String(record.value).replace('"totalCents":200', '"totalCents":-1'))), "totalCents"],
    ["a fractional price", (record) => (record.value = Buffer.from(String(record.value).replace('"unitPriceCents":100', '"unitPriceCents":1.5'))), "items.0.unitPriceCents"],
    ["a positive discount", (record) => (record.value = Buffer.from(String(record.value).replace('"totalCents"', '"discounts":[{"discountId":"d","sku":"banana","minQuantity":1,"amountCents":5}],"totalCents"'))), "discounts.0.amountCents"],
    ["an event id that is no uuid", (record) => (record.value = Buffer.from(String(record.value).replace(eventId, "not-a-uuid"))), "eventId: must be a uuid"],
    ["a checkout time that is no time", (record) => (record.value = Buffer.from(String(record.value).replace("2024-01-01T00:00:00.000Z", "yesterday"))), "checkedOutAt"],
    ["no id header", (record) => delete record.headers["id"], "header id is missing"],
    ["an id header repeated", (record) => (record.headers["id"] = [eventId, eventId]), "header id appears 2 times"],
    ["an id header naming another event", (record) => (record.headers["id"] = "0f9c2e34-1111-4222-8333-444455556666"), "differs from the payload's eventId"],
    ["another event type", (record) => (record.headers["eventType"] = "CartAbandoned"), 'header eventType is "CartAbandoned"'],
    ["no eventType header", (record) => delete record.headers["eventType"], "header eventType is missing"],
    ["a key that is not the cartId", (record) => (record.key = Buffer.from('"101"')), "key \"\\\"101\\\"\" is not the payload's cartId"],
    ["no key", (record) => (record.key = null), "key null is not the payload's cartId"],
  ])("refuses %s, naming topic, partition and offset", (_case, spoil, problem) => {
    const record = outboxRecord();
    spoil(record);
    const error = decodeFailure(record);
    expect(error.code).toBe("DecodeFailed");
    expect(error.message).toContain("checkout.crud[2]@41");
    expect(error.message).toContain(problem);
    expect(error.details).toMatchObject({ topic: "checkout.crud", partition: 2, offset: "41" });
  });
});
