import type { KnownCustomer } from "../cart/index.ts";
import { customerKeyFor, customerKeysById } from "./customer-keys.ts";
import type { JsonObject, JsonValue, NewEvent, RecordedEvent } from "./event-journal.ts";
import type { JournalSchema } from "./journal-schema.ts";
import { isKnownCustomerJson, sealCustomer, sealedKeyIds, withOpenedCustomer } from "./personal-data-seal.ts";
import type { Queryable } from "./queryable.ts";

/**
 * How a journal stores personal data. `encrypted` (the default) seals it under a per-customer
 * key, so deleting the key erases it (crypto-shredding); `plaintext` is the naive journal that
 * writes it as given, which an append-only journal can then never erase.
 */
export type PersonalDataMode = "encrypted" | "plaintext";

/** `data` (an event's, or a snapshot's state) with a clear-text `customer` sealed; anything else unchanged. */
export async function sealPersonalData<T extends JsonValue>(db: Queryable, schema: JournalSchema, value: T, mode: PersonalDataMode): Promise<T> {
  if (mode === "plaintext" || typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const customer = value["customer"];
  if (!isKnownCustomerJson(customer)) return value;
  const key = await customerKeyFor(db, schema, customer.customerId);
  return { ...value, customer: sealCustomer(customer as unknown as KnownCustomer, key) as unknown as JsonValue } as T;
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

export async function openPersonalData<T extends JsonValue>(db: Queryable, schema: JournalSchema, value: T): Promise<T> {
  const keyIds = sealedKeyIds([value]);
  if (keyIds.length === 0) return value;
  return withOpenedCustomer(value, await customerKeysById(db, schema, keyIds));
}
