import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../../services/event-sourced/event-journal.ts";
import { openSealedCustomer, sealCustomer, sealedKeyIds, withOpenedCustomer } from "../../../services/event-sourced/personal-data-seal.ts";
import { LabError } from "../../../services/platform/errors.ts";

const ada = { customerId: "c-1", email: "ada@example.test", name: "Ada Lovelace", shippingAddress: "1 Analytical Row" };
const key = { keyId: "6f1c7a52-3d4e-4f3a-9b2c-1d2e3f4a5b6c", key: randomBytes(32) };

describe("sealing a customer's personal data", () => {
  it("leaves nothing of the personal fields readable in the stored form, only the customer id", () => {
    const stored = JSON.stringify(sealCustomer(ada, key));
    expect(stored).toContain("c-1");
    for (const secret of ["ada@example.test", "Ada Lovelace", "Analytical"]) expect(stored).not.toContain(secret);
  });

  it("opens with the customer's key", () => {
    expect(openSealedCustomer(sealCustomer(ada, key), key.key)).toEqual(ada);
  });

  it("reads as the erased marker once the key is gone", () => {
    expect(openSealedCustomer(sealCustomer(ada, key), undefined)).toEqual({ customerId: "c-1", email: null, name: null, shippingAddress: null, erased: true });
  });

  it("fails loudly on a wrong key: damage is not erasure", () => {
    expect(() => openSealedCustomer(sealCustomer(ada, key), randomBytes(32))).toThrow(LabError);
  });

  it("refuses a ciphertext moved under another customer", () => {
    const moved = { ...sealCustomer(ada, key), customerId: "c-2" };
    expect(() => openSealedCustomer(moved, key.key)).toThrow(LabError);
  });

  it("opens the customer of an event's data and leaves data without one as it is", () => {
    const data = { cartId: "101", customer: sealCustomer(ada, key) } as unknown as JsonObject;
    expect(sealedKeyIds([data, { cartId: "102" }])).toEqual([key.keyId]);
    expect(withOpenedCustomer(data, new Map([[key.keyId, key.key]]))).toEqual({ cartId: "101", customer: ada });
    const plain = { cartId: "102", customer: ada } as unknown as JsonObject;
    expect(withOpenedCustomer(plain, new Map())).toBe(plain);
  });
});
