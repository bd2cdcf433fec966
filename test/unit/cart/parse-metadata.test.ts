import { describe, expect, it } from "vitest";
import { parseMetadata } from "../../../services/cart/index.ts";

function badFields(input: unknown): string[] {
  const result = parseMetadata(input);
  if (result.ok) expect.fail(`expected a rejection, got ${JSON.stringify(result.metadata)}`);
  expect(result.rejection.code).toBe("ValidationFailed");
  for (const error of result.rejection.fields ?? []) expect(result.rejection.message).toContain(error.field);
  return (result.rejection.fields ?? []).map((error) => error.field);
}

describe("parseMetadata", () => {
  it("accepts all three fields, trimming the actor", () => {
    expect(parseMetadata({ actor: "  ops@example.com ", reason: "customer called", correlationId: "req-42" })).toEqual({
      ok: true,
      metadata: { actor: "ops@example.com", reason: "customer called", correlationId: "req-42" },
    });
  });

  it("turns an absent reason and correlationId into null, leaving the correlationId to the caller", () => {
    expect(parseMetadata({ actor: "app" })).toEqual({
      ok: true,
      metadata: { actor: "app", reason: null, correlationId: null },
    });
  });

  it("accepts explicit nulls for the optional fields", () => {
    expect(parseMetadata({ actor: "app", reason: null, correlationId: null })).toEqual({
      ok: true,
      metadata: { actor: "app", reason: null, correlationId: null },
    });
  });

  it("requires an actor", () => {
    expect(badFields({ reason: "why" })).toEqual(["metadata.actor"]);
    expect(badFields({ actor: "   " })).toEqual(["metadata.actor"]);
  });

  it("bounds the actor at 200 characters after trimming", () => {
    expect(parseMetadata({ actor: "a".repeat(200) }).ok).toBe(true);
    expect(badFields({ actor: "a".repeat(201) })).toEqual(["metadata.actor"]);
  });

  it("bounds the reason at 1,000 characters", () => {
    expect(parseMetadata({ actor: "app", reason: "r".repeat(1_000) }).ok).toBe(true);
    expect(badFields({ actor: "app", reason: "r".repeat(1_001) })).toEqual(["metadata.reason"]);
  });

  it("names every bad field, including unknown ones", () => {
    expect(badFields({ actor: 7, reason: 5, correlationId: "not an id!", decidedAt: "2024-01-01T00:00:00Z" })).toEqual([
      "metadata.actor",
      "metadata.reason",
      "metadata.correlationId",
      "metadata.decidedAt",
    ]);
  });

  it.each([null, "ops", [], 1])("rejects the non-object %j", (input) => {
    expect(badFields(input)).toEqual(["metadata"]);
  });
});
