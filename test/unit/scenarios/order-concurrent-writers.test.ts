import { describe, expect, it } from "vitest";
import { concurrentWritersPlan } from "../../../scenarios/catalog/order.concurrent-writers/concurrent-workload.ts";
import { judgeOrderConcurrentWriters } from "../../../scenarios/catalog/order.concurrent-writers/judge.ts";
import { OBS } from "../../../scenarios/catalog/order.concurrent-writers/observations.ts";
import { orderConcurrentWriters } from "../../../scenarios/catalog/order.concurrent-writers/scenario.ts";
import type { ObservationName, SubjectOutcome } from "../../../scenarios/model/observations.ts";

type Figures = Partial<Record<keyof typeof OBS, number>>;

function outcome(figures: Figures, status: SubjectOutcome["status"] = "measured"): SubjectOutcome {
  const observations = Object.fromEntries(
    Object.entries(figures).map(([name, value]) => {
      const declared = (OBS as Record<string, ObservationName>)[name];
      if (declared === undefined) throw new Error(`no observation ${name}`);
      return [declared.name, { value, unit: declared.unit }];
    }),
  );
  return { subject: "es", status, observations, evidence: [], problem: status === "failed" ? { message: "connect died", logTail: null } : null, durationMs: 1 };
}

const journal: Figures = { writesAcknowledged: 48, lostUpdates: 0, safeReaderSkipped: 0, naivePollerSkipped: 3, tornViews: 0 };
const tunedCdc: Figures = { writesAcknowledged: 48, lostUpdates: 0, tornViews: 2, groupedTornViews: 0 };

describe("the order.concurrent-writers judge", () => {
  it("gives full when no write was lost, no reader skipped and no consumer showed a torn cart", () => {
    expect(judgeOrderConcurrentWriters(outcome(journal))).toEqual({
      symbol: "full",
      figure: "0/48 writes lost, 0 torn views, 0 events skipped by the safe reader",
    });
  });

  it("gives none as soon as one acknowledged write is lost", () => {
    expect(judgeOrderConcurrentWriters(outcome({ ...journal, lostUpdates: 1 }))).toEqual({
      symbol: "none",
      figure: "1/48 writes lost, 0 torn views, 0 events skipped by the safe reader",
    });
    expect(judgeOrderConcurrentWriters(outcome({ writesAcknowledged: 48, lostUpdates: 35 }))).toEqual({ symbol: "none", figure: "35/48 writes lost" });
  });

  it("gives partial when writes are safe but the safe reader skipped or a consumer showed a torn cart", () => {
    expect(judgeOrderConcurrentWriters(outcome({ ...journal, safeReaderSkipped: 1 })).symbol).toBe("partial");
    expect(judgeOrderConcurrentWriters(outcome({ ...journal, tornViews: 2 })).symbol).toBe("partial");
  });

  it("counts the journal's many-event append probe as torn views", () => {
    expect(judgeOrderConcurrentWriters(outcome({ ...journal, probeTornViews: 0 })).symbol).toBe("full");
    expect(judgeOrderConcurrentWriters(outcome({ ...journal, probeTornViews: 1 }))).toEqual({
      symbol: "partial",
      figure: "0/48 writes lost, 0 torn views, 1 in the many-event append probe, 0 events skipped by the safe reader",
    });
  });

  it("judges CDC by its transaction-grouped consumer when the records allowed one", () => {
    expect(judgeOrderConcurrentWriters(outcome(tunedCdc))).toEqual({ symbol: "full", figure: "0/48 writes lost, 0 torn views (grouped by transaction)" });
    expect(judgeOrderConcurrentWriters(outcome({ ...tunedCdc, groupedTornViews: 1 })).symbol).toBe("partial");
    const plain: Figures = { writesAcknowledged: 48, lostUpdates: 0, tornViews: 2 };
    expect(judgeOrderConcurrentWriters(outcome(plain))).toEqual({ symbol: "partial", figure: "0/48 writes lost, 2 torn views" });
  });

  it("does not count the naive poller against the design: it is the reader nobody should write", () => {
    expect(judgeOrderConcurrentWriters(outcome({ ...journal, naivePollerSkipped: 30 })).symbol).toBe("full");
  });

  it("reports a failed subject as failed (⚠) and an unsupported one as n/a, whatever they observed", () => {
    expect(judgeOrderConcurrentWriters(outcome(journal, "failed"))).toEqual({ symbol: "failed", figure: "failed" });
    expect(judgeOrderConcurrentWriters(outcome({}, "unsupported")).symbol).toBe("n/a");
  });

  it("never gives a verdict without the lost-update figures", () => {
    expect(judgeOrderConcurrentWriters(outcome({ tornViews: 0 }))).toEqual({ symbol: "failed", figure: "no lost updates measured" });
  });

  it("is the scenario's judge, and charts the anomalies a user sees", () => {
    expect(orderConcurrentWriters.judge).toBe(judgeOrderConcurrentWriters);
    expect(orderConcurrentWriters.headline.observation).toBe(OBS.anomalies);
  });
});

describe("the order.concurrent-writers plan", () => {
  it("is the same for the same seed and grows with the size", () => {
    expect(JSON.stringify([...concurrentWritersPlan(7, 1).torn.committed])).toBe(JSON.stringify([...concurrentWritersPlan(7, 1).torn.committed]));
    expect(concurrentWritersPlan(7, 1).lostUpdates).toEqual(concurrentWritersPlan(7, 1).lostUpdates);
    expect(concurrentWritersPlan(7, 4).torn.carts.length).toBe(4 * concurrentWritersPlan(7, 1).torn.carts.length);
  });

  it("records every committed state of a part-3 cart, from before it existed to its checkout", () => {
    const plan = concurrentWritersPlan(3, 1);
    for (const cart of plan.torn.carts) {
      const states = plan.torn.committed.get(cart.cartId) ?? [];
      // Every command of part 3 is accepted and writes: one state per command, plus "no cart yet".
      expect(states).toHaveLength(cart.commands.length + 1);
      expect(states[0]).toBeNull();
      expect(states[1]?.items).toHaveLength(1);
      expect(states[states.length - 1]?.status).toBe("checked_out");
    }
  });
});
