import { describe, expect, it } from "vitest";
import { journalSchema, statementName } from "../../../services/event-sourced/journal-schema.ts";

describe("a journal's prepared statement names", () => {
  const longest = journalSchema("j".repeat(40));

  it("carry the schema, so two journals on one pool never share a name", () => {
    expect(statementName(journalSchema("shop_a"), "append")).not.toBe(statementName(journalSchema("shop_b"), "append"));
  });

  it("refuse a name PostgreSQL would cut short, where two statements could end up sharing it", () => {
    expect(statementName(longest, "x".repeat(22))).toHaveLength(63);
    expect(() => statementName(longest, "x".repeat(23))).toThrow(/longer than 63/);
  });
});
