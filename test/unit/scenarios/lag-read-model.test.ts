import { describe, expect, it } from "vitest";
import { visibleTransactions as cdcTransactions } from "../../../scenarios/catalog/lag.read-model/cdc-read-model-watch.ts";
import { ATTENTION_BOUND_MS, FLOW_BOUND_MS, judgeLagReadModel } from "../../../scenarios/catalog/lag.read-model/judge.ts";
import { planLoad } from "../../../scenarios/catalog/lag.read-model/load-plan.ts";
import { matchWrites } from "../../../scenarios/catalog/lag.read-model/match-writes.ts";
import type { MeasuredWrite, VisibleTransaction } from "../../../scenarios/catalog/lag.read-model/match-writes.ts";
import { OBS } from "../../../scenarios/catalog/lag.read-model/observations.ts";
import { visibleTransactions as projectionTransactions } from "../../../scenarios/catalog/lag.read-model/projection-watch.ts";
import { busyPercent } from "../../../scenarios/catalog/lag.read-model/read-model-watch.ts";
import { covers } from "../../../scenarios/catalog/lag.read-model/read-position.ts";
import { RATE_PER_SECOND, lagReadModel, planFor } from "../../../scenarios/catalog/lag.read-model/scenario.ts";
import { runSteadyLoad } from "../../../scenarios/catalog/lag.read-model/steady-load.ts";
import type { RecordedEvent } from "../../../services/event-sourced/event-journal.ts";
import type { Distribution, ObservationValue, SubjectOutcome } from "../../../scenarios/model/observations.ts";

function lag(p99: number, p50 = Math.min(p99, 20)): Distribution {
  return { kind: "distribution", count: 480, p50, p95: p99, p99, max: p99 + 5 };
}

function outcome(overrides: Partial<Record<keyof typeof OBS, ObservationValue>> = {}, status: SubjectOutcome["status"] = "measured"): SubjectOutcome {
  const values: Record<keyof typeof OBS, ObservationValue> = {
    lagMs: lag(120),
    readYourWrites: 4.2,
    writesMeasured: 480,
    commandsIssued: 500,
    targetPerSecond: 50,
    issuedPerSecond: 49.9,
    maxIssueDelayMs: 3,
    feederBusyPercent: 12.5,
    readModelMatchesSource: true,
    ...overrides,
  };
  return {
    subject: "es",
    status,
    observations: Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { value, unit: OBS[name as keyof typeof OBS].unit }])),
    evidence: [],
    problem: status === "failed" ? { message: "connector FAILED", logTail: null } : null,
    durationMs: 1,
  };
}

describe("the lag.read-model judge", () => {
  it("gives full when p99 is within the flow bound, and says p99 and read-your-writes", () => {
    expect(judgeLagReadModel(outcome())).toEqual({ symbol: "full", figure: "p99 120 ms, read-your-writes 4.2%" });
    expect(judgeLagReadModel(outcome({ lagMs: lag(FLOW_BOUND_MS) })).symbol).toBe("full");
  });

  it("gives partial once p99 passes the flow bound, none past the attention bound", () => {
    expect(judgeLagReadModel(outcome({ lagMs: lag(FLOW_BOUND_MS + 1) }))).toEqual({ symbol: "partial", figure: "p99 1001 ms, read-your-writes 4.2%" });
    expect(judgeLagReadModel(outcome({ lagMs: lag(ATTENTION_BOUND_MS) })).symbol).toBe("partial");
    expect(judgeLagReadModel(outcome({ lagMs: lag(ATTENTION_BOUND_MS + 1) }))).toEqual({ symbol: "none", figure: "p99 10.0 s, read-your-writes 4.2%" });
  });

  it("gives none when the read model ends unlike the source, however fast it was", () => {
    expect(judgeLagReadModel(outcome({ readModelMatchesSource: false }))).toEqual({ symbol: "none", figure: "read model ends unlike the source; p99 120 ms, read-your-writes 4.2%" });
  });

  it("caps a subject that could not carry the scheduled rate at partial, and says so", () => {
    expect(judgeLagReadModel(outcome({ issuedPerSecond: 40 }))).toEqual({ symbol: "partial", figure: "p99 120 ms, read-your-writes 4.2%; carried 40/s of 50/s" });
  });

  it("does not grade read-your-writes: the share changes the figure, not the symbol", () => {
    expect(judgeLagReadModel(outcome({ readYourWrites: 0 }))).toEqual({ symbol: "full", figure: "p99 120 ms, read-your-writes 0%" });
  });

  it("shows a failed subject as ⚠, never as a verdict, and an unsupported one as n/a", () => {
    expect(judgeLagReadModel(outcome({}, "failed"))).toEqual({ symbol: "failed", figure: "failed" });
    expect(judgeLagReadModel(outcome({}, "unsupported")).symbol).toBe("n/a");
  });

  it("fails a measured outcome that lacks its lag or its end-state check", () => {
    expect(judgeLagReadModel(outcome({ lagMs: null })).symbol).toBe("failed");
    expect(judgeLagReadModel(outcome({ lagMs: 12 })).symbol).toBe("failed");
    expect(judgeLagReadModel(outcome({ readModelMatchesSource: null })).symbol).toBe("failed");
  });

  it("is the scenario's judge, and the headline is the lag distribution", () => {
    expect(lagReadModel.judge).toBe(judgeLagReadModel);
    expect(lagReadModel.headline.observation).toBe(OBS.lagMs);
    expect(lagReadModel.subjects).toEqual(["cdc-plain", "cdc-tuned", "es", "es-polling"]);
  });
});

describe("matching writes to the transactions a read model applied", () => {
  const write = (cartId: string, nth: number, committedAt: number, readRightAfter: Record<string, number>): MeasuredWrite => ({
    cartId,
    nth,
    commandType: "AddItem",
    committedAt,
    readRightAfter,
  });
  const applied = (cartId: string, visibleAt: number, position: Record<string, number>): VisibleTransaction => ({ cartId, visibleAt, handedOverAt: visibleAt - 1, position, via: "consumer" });

  it("pairs a cart's k-th write with its k-th transaction, and a read shows it only at its position in every lane", () => {
    const matched = matchWrites(
      [write("a", 1, 1_000, { carts: 10, cart_items: 11 }), write("a", 2, 2_000, { carts: 10, cart_items: 11 }), write("b", 1, 1_500, {})],
      new Map([
        ["a", [applied("a", 1_040, { carts: 10, cart_items: 11 }), applied("a", 2_090, { carts: 20, cart_items: 19 })]],
        ["b", [applied("b", 1_501, { carts: 15 })]],
      ]),
    );
    expect(matched.map(({ cartId, nth, lagMs, shownRightAfter }) => ({ cartId, nth, lagMs, shownRightAfter }))).toEqual([
      { cartId: "a", nth: 1, lagMs: 40, shownRightAfter: true },
      { cartId: "a", nth: 2, lagMs: 90, shownRightAfter: false },
      { cartId: "b", nth: 1, lagMs: 1, shownRightAfter: false },
    ]);
  });

  it("refuses to guess when a cart's writes and transactions differ in number", () => {
    expect(() => matchWrites([write("a", 1, 1, {})], new Map([["a", []]]))).toThrow(/1 writes returned but the read model applied 0/);
    expect(() => matchWrites([], new Map([["a", [applied("a", 1, {})]]]))).toThrow(/no write returned/);
  });

  it("reads a position as shown only when every lane the write touched is reached", () => {
    expect(covers({ carts: 5, cart_items: 7 }, { carts: 5, cart_items: 7 })).toBe(true);
    expect(covers({ carts: 5 }, { carts: 5, cart_items: 7 })).toBe(false);
    expect(covers({ streamVersion: 3 }, { streamVersion: 4 })).toBe(false);
  });
});

describe("when a transaction became visible", () => {
  it("CDC: when its last change was applied, ordered per cart by its last LSN, its position the newest LSN per table", () => {
    const byCart = cdcTransactions([
      { cartId: "a", txId: 7, table: "carts", lsn: 300, emittedAt: 45, appliedAt: 50 },
      { cartId: "a", txId: 5, table: "cart_items", lsn: 100, emittedAt: 8, appliedAt: 20 },
      { cartId: "a", txId: 5, table: "carts", lsn: 120, emittedAt: 8, appliedAt: 10 },
      { cartId: "a", txId: 7, table: "cart_items", lsn: 280, emittedAt: 44, appliedAt: 60 },
    ]);
    expect(byCart.get("a")).toEqual([
      { cartId: "a", visibleAt: 20, handedOverAt: 8, position: { cart_items: 100, carts: 120 }, via: "consumer" },
      { cartId: "a", visibleAt: 60, handedOverAt: 45, position: { carts: 300, cart_items: 280 }, via: "consumer" },
    ]);
    expect(() => cdcTransactions([
      { cartId: "a", txId: 1, table: "carts", lsn: 1, emittedAt: 1, appliedAt: 1 },
      { cartId: "b", txId: 1, table: "carts", lsn: 2, emittedAt: 1, appliedAt: 1 },
    ])).toThrow(/changed carts a and b/);
  });

  it("journal: when the pass holding its last event committed, passes taking consecutive slices of the global order", () => {
    const event = (streamId: string, streamVersion: number, transactionId: string, globalPosition: string) => ({ streamId, streamVersion, transactionId, globalPosition }) as RecordedEvent;
    const ordered = [event("cart-a", 1, "10", "1"), event("cart-b", 1, "11", "2"), event("cart-a", 2, "12", "3"), event("cart-a", 3, "12", "4")];
    const byCart = projectionTransactions(ordered, [
      { wokenBy: "notification", handled: 1, startedAt: 95, finishedAt: 100 },
      { wokenBy: "more", handled: 2, startedAt: 190, finishedAt: 200 },
      { wokenBy: "retry", handled: 1, startedAt: 290, finishedAt: 300 },
    ]);
    expect(byCart.get("a")).toEqual([
      { cartId: "a", visibleAt: 100, handedOverAt: 95, position: { streamVersion: 1 }, via: "notification" },
      { cartId: "a", visibleAt: 300, handedOverAt: 290, position: { streamVersion: 3 }, via: "retry" },
    ]);
    expect(byCart.get("b")).toEqual([{ cartId: "b", visibleAt: 200, handedOverAt: 190, position: { streamVersion: 1 }, via: "more" }]);
    expect(() => projectionTransactions(ordered, [{ wokenBy: "poll", handled: 3, startedAt: 0, finishedAt: 1 }])).toThrow(/beyond every pass/);
  });
});

describe("how busy the feeder was", () => {
  it("is the share of the window its working intervals cover, clipped to the window", () => {
    expect(busyPercent([{ startedAt: 0, finishedAt: 10 }, { startedAt: 50, finishedAt: 60 }], 0, 100)).toBe(20);
    expect(busyPercent([{ startedAt: -50, finishedAt: 5 }, { startedAt: 95, finishedAt: 500 }], 0, 100)).toBe(10);
    expect(busyPercent([], 0, 100)).toBe(0);
    expect(busyPercent([{ startedAt: 0, finishedAt: 1 }], 5, 5)).toBeNull();
  });
});

describe("the load", () => {
  it("is the same seeded plan for every subject: writes numbered per cart, rejections issued but not measured", () => {
    const plan = planFor(7, "small");
    expect(plan).toEqual(planFor(7, "small"));
    expect(plan.commands).toHaveLength(RATE_PER_SECOND * 10);
    const writes = plan.commands.filter((command) => command.writes);
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.length).toBeLessThan(plan.commands.length);
    const perCart = new Map<string, number[]>();
    for (const command of writes) perCart.set(command.lane, [...(perCart.get(command.lane) ?? []), command.nth]);
    for (const numbers of perCart.values()) expect(numbers).toEqual(numbers.map((_n, index) => index + 1));
  });

  it("plans a repeated discount as accepted but not a write: nothing becomes visible for it", () => {
    const discount = { type: "ApplyDiscount", cartId: "c", discountId: "d", sku: "kiwi", minQuantity: 1, amountCents: -5 };
    const plan = planLoad([
      { command: { type: "AddItem", cartId: "c", sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 1 }, metadata: { actor: "a" } },
      { command: discount, metadata: { actor: "a" } },
      { command: discount, metadata: { actor: "a" } },
      { command: { type: "Teleport", cartId: "c" }, metadata: { actor: "a" } },
    ]);
    expect(plan.commands.map(({ accepted, writes, nth }) => ({ accepted, writes, nth }))).toEqual([
      { accepted: true, writes: true, nth: 1 },
      { accepted: true, writes: true, nth: 2 },
      { accepted: true, writes: false, nth: 0 },
      { accepted: false, writes: false, nth: 0 },
    ]);
    expect(plan.cartIds).toEqual(["c"]);
  });

  it("issues every item once, one at a time per lane, in order within a lane", async () => {
    const items = Array.from({ length: 40 }, (_unused, index) => ({ lane: `cart-${index % 3}`, index }));
    const inFlight = new Set<string>();
    const seen: { lane: string; index: number }[] = [];
    const load = await runSteadyLoad(items, { ratePerSecond: 2_000, laneOf: (item) => item.lane }, async (item) => {
      expect(inFlight.has(item.lane)).toBe(false);
      inFlight.add(item.lane);
      await Promise.resolve();
      seen.push(item);
      inFlight.delete(item.lane);
    });
    expect(load.issued).toBe(40);
    expect(seen).toHaveLength(40);
    for (const lane of ["cart-0", "cart-1", "cart-2"]) {
      const order = seen.filter((item) => item.lane === lane).map((item) => item.index);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it("stops when the run is interrupted, with the error that says so", async () => {
    const interrupt = new AbortController();
    const issued: number[] = [];
    await expect(
      runSteadyLoad([1, 2, 3], { ratePerSecond: 1_000, laneOf: () => "one", signal: interrupt.signal }, async (item) => {
        issued.push(item);
        interrupt.abort();
      }),
    ).rejects.toMatchObject({ code: "Interrupted" });
    expect(issued).toEqual([1]);
  });

  it("stops at the first failure and throws it", async () => {
    const issued: number[] = [];
    await expect(
      runSteadyLoad([1, 2, 3, 4, 5], { ratePerSecond: 1_000, laneOf: () => "one" }, async (item) => {
        issued.push(item);
        if (item === 2) throw new Error("rejected by the subject");
      }),
    ).rejects.toThrow("rejected by the subject");
    expect(issued).toEqual([1, 2]);
  });
});
