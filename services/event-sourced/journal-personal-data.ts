import type { KnownCustomer } from "../cart/index.ts";
import { customerKeyFor, customerKeysById } from "./customer-keys.ts";
import type { JsonObject, JsonValue, NewEvent, RecordedEvent, StreamFromSnapshot } from "./event-journal.ts";
import type { JournalSchema } from "./journal-schema.ts";
import { isKnownCustomerJson, sealCustomer, sealedKeyIds, withOpenedCustomer } from "./personal-data-seal.ts";
import type { Queryable } from "./queryable.ts";

/**
 * How a journal stores personal data. `encrypted` (the default) seals it under a per-customer
 * key, so deleting the key erases it (crypto-shredding); `plaintext` is the naive journal that
 * writes it as given, which an append-only journal can then never erase.
 */
export type PersonalDataMode = "encrypted" | "plaintext";

/** The clear-text customer `value` holds that `mode` seals, or null when sealing leaves `value` as it is. */
function customerToSeal(value: JsonValue, mode: PersonalDataMode): (JsonObject & { customerId: string }) | null {
  if (mode === "plaintext" || typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const customer = value["customer"];
  return isKnownCustomerJson(customer) ? customer : null;
}

/** `data` (an event's, or a snapshot's state) with a clear-text `customer` sealed; anything else unchanged. */
export async function sealPersonalData<T extends JsonValue>(db: Queryable, schema: JournalSchema, value: T, mode: PersonalDataMode): Promise<T> {
  const customer = customerToSeal(value, mode);
  if (customer === null) return value;
  const key = await customerKeyFor(db, schema, customer.customerId);
  const sealed: JsonObject = { ...(value as JsonObject), customer: sealCustomer(customer as unknown as KnownCustomer, key) as unknown as JsonValue };
  return sealed as T;
}

/** Whether sealing `events` needs the customers' keys, that is queries that must share the append's transaction. */
export function needsCustomerKeys(events: readonly NewEvent[], mode: PersonalDataMode): boolean {
  return events.some((event) => customerToSeal(event.data, mode) !== null);
}

export async function sealNewEvents(db: Queryable, schema: JournalSchema, events: readonly NewEvent[], mode: PersonalDataMode): Promise<NewEvent[]> {
  const sealed: NewEvent[] = [];
  for (const event of events) sealed.push({ ...event, data: await sealPersonalData<JsonObject>(db, schema, event.data, mode) });
  return sealed;
}

/**
 * Events as readers want them: sealed customers opened with their keys (one query for the
 * batch), or replaced by the erased marker where the key is gone. Whatever mode wrote them:
 * a reader never needs to know, and a plaintext event passes through as it is.
 */
export async function openRecordedEvents(db: Queryable, schema: JournalSchema, events: readonly RecordedEvent[]): Promise<RecordedEvent[]> {
  const keyIds = sealedKeyIds(events.map((event) => event.data));
  if (keyIds.length === 0) return [...events];
  const keys = await customerKeysById(db, schema, keyIds);
  return events.map((event) => ({ ...event, data: withOpenedCustomer(event.data, keys) }));
}

/** A snapshot and the events after it opened together: one query for the keys of both. */
export async function openStreamFromSnapshot(db: Queryable, schema: JournalSchema, read: StreamFromSnapshot): Promise<StreamFromSnapshot> {
  const keyIds = sealedKeyIds([...(read.snapshot === null ? [] : [read.snapshot.state]), ...read.events.map((event) => event.data)]);
  if (keyIds.length === 0) return read;
  const keys = await customerKeysById(db, schema, keyIds);
  return {
    snapshot: read.snapshot === null ? null : { ...read.snapshot, state: withOpenedCustomer(read.snapshot.state, keys) },
    events: read.events.map((event) => ({ ...event, data: withOpenedCustomer(event.data, keys) })),
  };
}

export async function openPersonalData<T extends JsonValue>(db: Queryable, schema: JournalSchema, value: T): Promise<T> {
  const keyIds = sealedKeyIds([value]);
  if (keyIds.length === 0) return value;
  return withOpenedCustomer(value, await customerKeysById(db, schema, keyIds));
}
