import { outcomeBuilder } from "../../support/judge-outcome.ts";
import { describe, expect, it } from "vitest";
import { LOAD_BUDGET_MS, judgeLongStream } from "../../../scenarios/catalog/snapshot.long-stream/judge.ts";
import { STREAM_LENGTHS, longStreamCommand } from "../../../scenarios/catalog/snapshot.long-stream/long-stream.ts";
import { OBS } from "../../../scenarios/catalog/snapshot.long-stream/observations.ts";
import { snapshotLongStream } from "../../../scenarios/catalog/snapshot.long-stream/scenario.ts";
import { recordLongStream } from "../../../scenarios/catalog/snapshot.long-stream/stream-record.ts";
import { createCartRecord, recordCommand, recordedView, sameView } from "../../../scenarios/kit/cart-record.ts";
import type { ObservationValue } from "../../../scenarios/model/observations.ts";
import { isLabError } from "../../../services/platform/errors.ts";

type Name = keyof typeof OBS;

const outcome = outcomeBuilder(OBS);

const measured = { loadMsAtLargest: 2.5, largestLength: 10_000, recordsReadAtLargest: 0, loadsMatched: 30, loadsTotal: 30 } as const;

describe("judging snapshot.long-stream", () => {
  it("is full when every load gave the record and the largest cart loads within the budget", () => {
    expect(judgeLongStream(outcome(measured))).toEqual({ symbol: "full", figure: "2.5 ms at 10,000 changes, 0 read" });
  });

  it("is partial when the largest cart loads right but over the budget", () => {
    const verdict = judgeLongStream(outcome({ ...measured, loadMsAtLargest: 1_840, recordsReadAtLargest: 20_000 }));
    expect(verdict).toEqual({ symbol: "partial", figure: "1.84 s at 10,000 changes, 20,000 read" });
  });

  it("puts the budget itself on the full side", () => {
    expect(judgeLongStream(outcome({ ...measured, loadMsAtLargest: LOAD_BUDGET_MS })).symbol).toBe("full");
    expect(judgeLongStream(outcome({ ...measured, loadMsAtLargest: LOAD_BUDGET_MS + 0.001 })).symbol).toBe("partial");
  });

  it("is none when one load gave another state than the record's, however fast", () => {
    expect(judgeLongStream(outcome({ ...measured, loadsMatched: 29 }))).toEqual({ symbol: "none", figure: "1/30 loads differ from the record" });
  });

  it("writes no records read for the CRUD rows, which keep no history", () => {
    const rows: Partial<Record<Name, ObservationValue>> = { ...measured };
    delete rows.recordsReadAtLargest;
    expect(judgeLongStream(outcome({ ...rows, loadMsAtLargest: 0.9, loadsTotal: 15, loadsMatched: 15 })).figure).toBe("0.9 ms at 10,000 changes");
  });

  it("reports a failed or unsupported subject as such, whatever it observed", () => {
    expect(judgeLongStream(outcome(measured, "failed"))).toEqual({ symbol: "failed", figure: "failed" });
    expect(judgeLongStream(outcome({}, "unsupported")).symbol).toBe("n/a");
  });

  it("claims no verdict when the largest load was never measured", () => {
    const rest: Partial<Record<Name, ObservationValue>> = { ...measured };
    delete rest.loadMsAtLargest;
    expect(judgeLongStream(outcome(rest)).symbol).toBe("failed");
    expect(judgeLongStream(outcome({ ...measured, loadsTotal: 0, loadsMatched: 0 })).symbol).toBe("failed");
  });

  it("plots the load time curve", () => {
    expect(snapshotLongStream.headline.observation).toBe(OBS.loadMs);
    expect(OBS.loadMs.shape).toBe("curve");
  });
});

describe("the long stream", () => {
  it("names three increasing lengths per size, the brief's 10,000 at large", () => {
    for (const lengths of Object.values(STREAM_LENGTHS)) expect([...lengths].sort((a, b) => a - b)).toEqual([...lengths]);
    expect(STREAM_LENGTHS.large).toEqual([100, 1_000, 10_000]);
    expect(STREAM_LENGTHS.default[2]).toBeLessThan(STREAM_LENGTHS.large[2]);
  });

  it("is accepted by the rules at every change of the longest length, each change one event", () => {
    const longest = Math.max(...Object.values(STREAM_LENGTHS).map((lengths) => lengths[2]));
    const stages = recordLongStream("c", [longest]);
    expect(stages[0]?.commands).toHaveLength(longest);
  });

  it("keeps the cart at each length and at half of it, as the rules fold it", () => {
    const stages = recordLongStream("c", [100, 1_000, 3_000]);
    expect(stages.map((stage) => [stage.length, stage.commands.length, stage.pastVersion])).toEqual([
      [100, 100, 50],
      [1_000, 900, 500],
      [3_000, 2_000, 1_500],
    ]);
    const record = createCartRecord();
    const viewAfter = new Map<number, ReturnType<typeof recordedView>>();
    for (let index = 0; index < 3_000; index += 1) {
      recordCommand(record, longStreamCommand("c", index).command);
      viewAfter.set(index + 1, recordedView(record, "c"));
    }
    for (const stage of stages) {
      expect(sameView(stage.expected, viewAfter.get(stage.length) ?? null)).toBe(true);
      expect(sameView(stage.expectedPast, viewAfter.get(stage.pastVersion) ?? null)).toBe(true);
      expect(sameView(stage.expected, stage.expectedPast)).toBe(false);
    }
  });

  it("changes the cart's lines, prices and discounts, not one counter", () => {
    const types = new Set(Array.from({ length: 15 }, (_, index) => longStreamCommand("c", index).command["type"]));
    expect([...types].sort()).toEqual(["AddItem", "ApplyDiscount", "CorrectPrice", "RemoveItem", "RevokeDiscount"]);
  });

  it("refuses lengths that do not grow", () => {
    let error: unknown;
    try {
      recordLongStream("c", [100, 100]);
    } catch (caught) {
      error = caught;
    }
    expect(isLabError(error) && error.code).toBe("UsageInvalid");
  });
});
