import { describe, expect, it } from "vitest";
import { decodeFlushedOffsets, flushGapsMs } from "../../../scenarios/catalog/deliver.duplicates/connect-offsets.ts";
import { judgeDeliverDuplicates } from "../../../scenarios/catalog/deliver.duplicates/judge.ts";
import { lineDeltaOf } from "../../../scenarios/catalog/deliver.duplicates/naive-line-tally.ts";
import { OBS } from "../../../scenarios/catalog/deliver.duplicates/observations.ts";
import type { RawTopicRecord } from "../../../scenarios/catalog/deliver.duplicates/raw-topic-reader.ts";
import { deliverDuplicates } from "../../../scenarios/catalog/deliver.duplicates/scenario.ts";
import { changesAfter, countDuplicates, sourcePositionOf } from "../../../scenarios/catalog/deliver.duplicates/source-position.ts";
import type { ObservationName, ObservationValue, SubjectOutcome } from "../../../scenarios/model/observations.ts";
import type { ChangeEvent, RowChangeEvent } from "../../../services/crud-cdc/change-event.ts";
import { LabError } from "../../../services/platform/errors.ts";

function outcome(observations: [ObservationName, ObservationValue][], status: SubjectOutcome["status"] = "measured"): SubjectOutcome {
  return {
    subject: "cdc-plain",
    status,
    observations: Object.fromEntries(observations.map(([name, value]) => [name.name, { value, unit: name.unit }])),
    evidence: [],
    problem: status === "failed" ? { message: "Kafka Connect did not come back", logTail: null } : null,
    durationMs: 1,
  };
}

const cdcMeasured: [ObservationName, ObservationValue][] = [
  [OBS.cartsCompared, 12],
  [OBS.idempotentCartsWrong, 0],
  [OBS.duplicatesDelivered, 7],
  [OBS.consumerRedeliveries, 2],
  [OBS.naiveCartsWrong, 3],
];

function replacing(name: ObservationName, value: ObservationValue, base = cdcMeasured): [ObservationName, ObservationValue][] {
  return base.map(([candidate, old]) => [candidate, candidate === name ? value : old]);
}

describe("judging deliver.duplicates", () => {
  it("is full when the idempotent read model ends exact although records came twice, and shows the naive tally beside it", () => {
    expect(judgeDeliverDuplicates(outcome(cdcMeasured))).toEqual({ symbol: "full", figure: "7 duplicates, 2 redelivered, 0/12 carts wrong, naive tally: 3 wrong" });
  });

  it("is none as soon as one cart of the idempotent read model is wrong", () => {
    expect(judgeDeliverDuplicates(outcome(replacing(OBS.idempotentCartsWrong, 1))).symbol).toBe("none");
  });

  it("does not judge the design by its naive tally", () => {
    expect(judgeDeliverDuplicates(outcome(replacing(OBS.naiveCartsWrong, 12))).symbol).toBe("full");
  });

  it("is partial when nothing was delivered twice: the question was not asked", () => {
    const quiet = replacing(OBS.consumerRedeliveries, 0, replacing(OBS.duplicatesDelivered, 0));
    expect(judgeDeliverDuplicates(outcome(quiet))).toMatchObject({ symbol: "partial", figure: expect.stringContaining("nothing delivered twice") });
  });

  it("is none when shipping recorded other than one shipment per checkout, or the projection rewrote a row", () => {
    const es: [ObservationName, ObservationValue][] = [
      [OBS.cartsCompared, 12],
      [OBS.idempotentCartsWrong, 0],
      [OBS.duplicatesDelivered, 2],
      [OBS.consumerRedeliveries, 180],
      [OBS.projectionRowsChanged, 0],
      [OBS.checkoutsExpected, 5],
      [OBS.shipmentsRecorded, 5],
    ];
    expect(judgeDeliverDuplicates(outcome(es)).symbol).toBe("full");
    expect(judgeDeliverDuplicates(outcome(replacing(OBS.shipmentsRecorded, 7, es))).symbol).toBe("none");
    expect(judgeDeliverDuplicates(outcome(replacing(OBS.projectionRowsChanged, 1, es))).symbol).toBe("none");
  });

  it("fails a subject with no read model compared", () => {
    expect(judgeDeliverDuplicates(outcome(replacing(OBS.cartsCompared, 0))).symbol).toBe("failed");
    expect(judgeDeliverDuplicates(outcome(replacing(OBS.idempotentCartsWrong, null))).symbol).toBe("failed");
  });

  it("reports a failed subject as ⚠ (failed) whatever it measured before failing, an unsupported one as n/a", () => {
    expect(judgeDeliverDuplicates(outcome(cdcMeasured, "failed"))).toEqual({ symbol: "failed", figure: "failed" });
    expect(judgeDeliverDuplicates(outcome([], "unsupported")).symbol).toBe("n/a");
  });

  it("plots the records delivered more than once", () => {
    expect(deliverDuplicates.headline.observation).toBe(OBS.duplicatesDelivered);
    expect(deliverDuplicates.judge).toBe(judgeDeliverDuplicates);
  });
});

let offset = 0;
function row(table: string, op: RowChangeEvent["op"], lsn: number, before: Record<string, unknown> | null, after: Record<string, unknown> | null): RowChangeEvent {
  offset += 1;
  const key = { cart_id: String((after ?? before)?.["cart_id"]), sku: String((after ?? before)?.["sku"]) };
  return {
    kind: "row",
    op,
    key,
    before,
    after,
    source: { lsn, txId: 1, committedAt: 0, snapshot: false, database: "cart", schema: "s", table },
    emittedAt: 0,
    position: { topic: `p.s.${table}`, partition: 0, offset: String(offset) },
  };
}

const line = (quantity: number) => ({ cart_id: "c-1", sku: "banana", name: "Banana", unit_price_cents: 100, quantity });

describe("telling a redelivered change from a new one", () => {
  it("keys a change on its table, LSN and row, not on its Kafka offset", () => {
    const first = row("cart_items", "c", 100, null, line(1));
    const copy = { ...first, position: { ...first.position, offset: "999" } };
    expect(sourcePositionOf(copy)).toBe(sourcePositionOf(first));
    expect(sourcePositionOf(row("cart_items", "u", 101, line(1), line(2)))).not.toBe(sourcePositionOf(first));
    expect(sourcePositionOf({ kind: "tombstone", key: null, position: first.position })).toBeNull();
  });

  it("counts the second copies, and the first copies past a flushed LSN", () => {
    const a = row("cart_items", "c", 100, null, line(1));
    const b = row("cart_items", "u", 200, line(1), line(3));
    const events: ChangeEvent[] = [a, b, { ...b, position: { ...b.position, offset: "50" } }];
    expect(countDuplicates(events)).toEqual({ records: 3, duplicates: 1, byTopic: [{ topic: "p.s.cart_items", records: 3, duplicates: 1 }] });
    expect(changesAfter(events, 100)).toBe(1);
    expect(changesAfter(events, 0)).toBe(2);
  });
});

describe("the naive tally's deltas", () => {
  it("adds an insert, the difference of an update and removes a delete", () => {
    expect(lineDeltaOf(row("cart_items", "c", 1, null, line(2)))).toEqual({ cartId: "c-1", sku: "banana", delta: 2 });
    expect(lineDeltaOf(row("cart_items", "u", 2, line(2), line(5)))).toEqual({ cartId: "c-1", sku: "banana", delta: 3 });
    expect(lineDeltaOf(row("cart_items", "d", 3, line(5), null))).toEqual({ cartId: "c-1", sku: "banana", delta: -5 });
    expect(lineDeltaOf(row("carts", "c", 4, null, { cart_id: "c-1", status: "open" }))).toBeNull();
  });

  it("refuses an update without its old row rather than guess the delta", () => {
    expect(() => lineDeltaOf(row("cart_items", "u", 5, null, line(2)))).toThrow(LabError);
  });
});

describe("Connect's offset flushes", () => {
  const record = (key: unknown, value: unknown, timestamp: number): RawTopicRecord => ({
    partition: 0,
    offset: String(timestamp),
    timestamp,
    key: JSON.stringify(key),
    value: value === null ? null : JSON.stringify(value),
    headers: {},
  });

  it("keeps only the connector's own flushes, oldest first, and their gaps inside a window", () => {
    const flushes = decodeFlushedOffsets(
      [
        record(["cdc-x", { server: "cdc_x" }], { lsn: 300, lsn_proc: 290, txId: 7 }, 3_000),
        record(["other", { server: "o" }], { lsn: 999 }, 1_500),
        record(["cdc-x", { server: "cdc_x" }], { lsn: 100 }, 1_000),
        record(["cdc-x", { server: "cdc_x" }], null, 4_000),
        record(["cdc-x", { server: "cdc_x" }], { lsn: 200 }, 2_000),
      ],
      "cdc-x",
    );
    expect(flushes).toEqual([
      { at: 1_000, lsn: 100, processedLsn: 100 },
      { at: 2_000, lsn: 200, processedLsn: 200 },
      { at: 3_000, lsn: 300, processedLsn: 290 },
    ]);
    expect(flushGapsMs(flushes, 1_500, 3_500)).toEqual([1_000]);
  });

  it("stops at an offset that is not Debezium's, naming where it is", () => {
    expect(() => decodeFlushedOffsets([record(["cdc-x", {}], { position: "x" }, 1)], "cdc-x")).toThrow(/_connect_offsets\[0\]@1/);
  });
});
