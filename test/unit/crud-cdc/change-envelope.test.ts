import { describe, expect, it } from "vitest";
import { decodeChangeRecord } from "../../../services/crud-cdc/change-envelope.ts";
import { LabError } from "../../../services/platform/errors.ts";

const position = { topic: "lab.public.carts", partition: 0, offset: "42" };
const source = { version: "3.6.1.Final", connector: "postgresql", name: "lab", ts_ms: 1_700_000_000_000, snapshot: "false", db: "cart", schema: "public", table: "carts", txId: 771, lsn: 24_023_128, xmin: null };
const record = (value: unknown, key: unknown = { cart_id: "101" }) => ({
  key: key === null ? null : Buffer.from(JSON.stringify(key)),
  value: value === null ? null : Buffer.from(JSON.stringify(value)),
});

describe("decoding Debezium change records", () => {
  it("decodes an update with its before and after images and source position", () => {
    const event = decodeChangeRecord(
      record({ before: { cart_id: "101", status: "open" }, after: { cart_id: "101", status: "checked_out" }, source, op: "u", ts_ms: 1_700_000_000_250, transaction: null }),
      position,
    );
    expect(event).toEqual({
      kind: "row",
      op: "u",
      key: { cart_id: "101" },
      before: { cart_id: "101", status: "open" },
      after: { cart_id: "101", status: "checked_out" },
      source: { lsn: 24_023_128, txId: 771, committedAt: 1_700_000_000_000, snapshot: false, database: "cart", schema: "public", table: "carts" },
      emittedAt: 1_700_000_000_250,
      position,
    });
  });

  it("unwraps the envelope when the JSON converter includes schemas", () => {
    const event = decodeChangeRecord(record({ schema: { type: "struct" }, payload: { before: null, after: { cart_id: "101" }, source, op: "c", ts_ms: 1 } }), position);
    expect(event).toMatchObject({ kind: "row", op: "c", after: { cart_id: "101" } });
  });

  it("marks snapshot reads", () => {
    const event = decodeChangeRecord(record({ before: null, after: { cart_id: "1" }, source: { ...source, snapshot: "last" }, op: "r", ts_ms: 1 }), position);
    expect(event.kind === "row" && event.source.snapshot).toBe(true);
  });

  it("decodes a logical decoding message (op m), whose content the JSON converter wrote as base64", () => {
    const content = JSON.stringify({ actor: "alice", reason: "promo" });
    const event = decodeChangeRecord(
      record({ op: "m", ts_ms: 5, source: { ...source, schema: "", table: "" }, message: { prefix: "cart-intent", content: Buffer.from(content).toString("base64") } }, { prefix: "cart-intent" }),
      position,
    );
    expect(event).toMatchObject({ kind: "message", op: "m", prefix: "cart-intent", content, source: { txId: 771 } });
  });

  it("decodes a tombstone (null value) as such", () => {
    expect(decodeChangeRecord(record(null), position)).toEqual({ kind: "tombstone", key: { cart_id: "101" }, position });
  });

  it("refuses what is not a Debezium envelope, naming topic, partition and offset", () => {
    const cases = [
      { key: null, value: Buffer.from("not json") },
      record({ op: "x", before: null, after: null, source, ts_ms: 1 }),
      record({ op: "c", before: null, after: { cart_id: "1" }, source: { ...source, lsn: "abc" }, ts_ms: 1 }),
      record({ op: "c", before: null, after: { cart_id: "1" }, ts_ms: 1 }),
    ];
    for (const bad of cases) {
      try {
        decodeChangeRecord(bad, position);
        expect.unreachable("a bad record was decoded");
      } catch (error) {
        expect(error).toBeInstanceOf(LabError);
        expect((error as LabError).code).toBe("DecodeFailed");
        expect((error as LabError).message).toContain("lab.public.carts[0]@42");
        expect((error as LabError).details).toEqual(position);
      }
    }
  });
});
