import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { erasedCustomer } from "../cart/index.ts";
import type { CartCustomer, KnownCustomer } from "../cart/index.ts";
import { LabError } from "../platform/errors.ts";
import type { JsonObject, JsonValue } from "./event-journal.ts";

/**
 * Crypto-shredding of the one place personal data sits in the journal: the `customer` object
 * of an event's data (CustomerAttached, CheckedOut) or of a snapshot's state. Its personal
 * fields are encrypted with AES-256-GCM under a key of that customer alone; the customerId
 * stays readable, a pseudonym that finds the key. Deleting the key makes every copy of the
 * ciphertext, in every event and snapshot and backup of them, unreadable for good: the journal
 * itself is never rewritten, which it could not be.
 */
export const SEAL_ALGORITHM = "aes-256-gcm";
export const SEAL_KEY_BYTES = 32;
const IV_BYTES = 12;

/** A customer's personal fields as stored: the customerId in clear, the rest sealed. */
export interface SealedCustomer {
  customerId: string;
  sealed: { keyId: string; iv: string; tag: string; ciphertext: string };
}

export interface CustomerKey {
  keyId: string;
  key: Buffer;
}

export function isSealedCustomer(value: JsonValue | undefined): value is SealedCustomer & JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) && typeof value["customerId"] === "string" && typeof value["sealed"] === "object" && value["sealed"] !== null;
}

/** A customer whose personal fields are in clear, which is what sealing applies to (an erased one has nothing to seal). */
export function isKnownCustomerJson(value: JsonValue | undefined): value is JsonObject & { customerId: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    typeof value["customerId"] === "string" &&
    typeof value["email"] === "string" &&
    value["erased"] === undefined
  );
}

export function sealCustomer(customer: KnownCustomer, key: CustomerKey): SealedCustomer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(SEAL_ALGORITHM, key.key, iv);
  // Bound to the customer and key: a ciphertext copied under another customer does not open.
  cipher.setAAD(Buffer.from(`${customer.customerId}/${key.keyId}`, "utf8"));
  const plaintext = JSON.stringify({ email: customer.email, name: customer.name, shippingAddress: customer.shippingAddress });
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return {
    customerId: customer.customerId,
    sealed: { keyId: key.keyId, iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), ciphertext: ciphertext.toString("base64") },
  };
}

/**
 * The customer back in clear, or the erased marker when the key is gone. A key that is there
 * but does not open the ciphertext is damage, not erasure, and fails loudly.
 */
export function openSealedCustomer(sealed: SealedCustomer, key: Buffer | undefined): CartCustomer {
  if (key === undefined) return erasedCustomer(sealed.customerId);
  try {
    const decipher = createDecipheriv(SEAL_ALGORITHM, key, Buffer.from(sealed.sealed.iv, "base64"));
    decipher.setAAD(Buffer.from(`${sealed.customerId}/${sealed.sealed.keyId}`, "utf8"));
    decipher.setAuthTag(Buffer.from(sealed.sealed.tag, "base64"));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(sealed.sealed.ciphertext, "base64")), decipher.final()]).toString("utf8");
    const fields = JSON.parse(plaintext) as { email: string; name: string; shippingAddress: string };
    return { customerId: sealed.customerId, email: fields.email, name: fields.name, shippingAddress: fields.shippingAddress };
  } catch (error) {
    throw new LabError("DecodeFailed", `the personal data of customer ${sealed.customerId} does not open with its key ${sealed.sealed.keyId}`, {
      cause: error,
      details: { customerId: sealed.customerId, keyId: sealed.sealed.keyId },
    });
  }
}

/** The key ids a set of objects' sealed customers need, to fetch them in one query. */
export function sealedKeyIds(objects: readonly JsonValue[]): string[] {
  const ids = new Set<string>();
  for (const object of objects) {
    if (typeof object !== "object" || object === null || Array.isArray(object)) continue;
    const customer = object["customer"];
    if (isSealedCustomer(customer)) ids.add(customer.sealed.keyId);
  }
  return [...ids];
}

/** `object` with its `customer` opened (when sealed); anything else is returned as it is. */
export function withOpenedCustomer<T extends JsonValue>(object: T, keys: ReadonlyMap<string, Buffer>): T {
  if (typeof object !== "object" || object === null || Array.isArray(object)) return object;
  const customer = object["customer"];
  if (!isSealedCustomer(customer)) return object;
  return { ...object, customer: openSealedCustomer(customer, keys.get(customer.sealed.keyId)) as unknown as JsonValue } as T;
}
