import { outcomeBuilder } from "../../support/judge-outcome.ts";
import { describe, expect, it } from "vitest";
import { journalCandidates, scoreFinding, selectBadDiscounts, topicCandidates } from "../../../scenarios/catalog/recover.bad-deploy/bad-discount-finder.ts";
import type { DiscountCandidate } from "../../../scenarios/catalog/recover.bad-deploy/bad-discount-finder.ts";
import { FIX_ACTOR, FIX_REASON, fixCommands } from "../../../scenarios/catalog/recover.bad-deploy/deploy-commands.ts";
import { judgeBadDeploy } from "../../../scenarios/catalog/recover.bad-deploy/judge.ts";
import { OBS } from "../../../scenarios/catalog/recover.bad-deploy/observations.ts";
import { recoverBadDeploy } from "../../../scenarios/catalog/recover.bad-deploy/scenario.ts";
import { BAD_CENTS, BAD_VERSION, throughBadDeploy, weeklyPromotion } from "../../../scenarios/kit/bad-deploy.ts";
import { createCartRecord, recordCommand, recordedView } from "../../../scenarios/kit/cart-record.ts";
import type { CdcHistory } from "../../../services/crud-cdc/cdc-history.ts";
import type { RecordedEvent } from "../../../services/event-sourced/event-journal.ts";

const outcome = outcomeBuilder(OBS);

const exact = { found: 6, precision: 100, recall: 100, fixable: 3, fixedExactly: 3 };

describe("judging recover.bad-deploy", () => {
  it("is full when exactly the affected carts were found and every fixable one was fixed exactly", () => {
    expect(judgeBadDeploy(outcome(exact))).toEqual({ symbol: "full", figure: "recall 100%, precision 100%, 3/3 fixed exactly" });
  });

  it("is partial when a cart was missed, a wrong one found, or a fix was not exact", () => {
    expect(judgeBadDeploy(outcome({ ...exact, recall: 83.3 })).symbol).toBe("partial");
    expect(judgeBadDeploy(outcome({ ...exact, precision: 71.4 })).symbol).toBe("partial");
    expect(judgeBadDeploy(outcome({ ...exact, fixedExactly: 2 })).symbol).toBe("partial");
  });

  it("is none when nothing was found", () => {
    expect(judgeBadDeploy(outcome({ found: 0, precision: null, recall: 0, fixable: 0, fixedExactly: 0 })).symbol).toBe("none");
  });

  it("stays full when every found cart was checked out (nothing fixable)", () => {
    expect(judgeBadDeploy(outcome({ ...exact, fixable: 0, fixedExactly: 0 })).symbol).toBe("full");
  });

  it("reports a failed subject as failed", () => {
    expect(judgeBadDeploy(outcome(exact, "failed")).symbol).toBe("failed");
    expect(judgeBadDeploy(outcome({}, "unsupported")).symbol).toBe("n/a");
  });

  it("fails a measured subject that recorded nothing", () => {
    expect(judgeBadDeploy(outcome({}))).toEqual({ symbol: "failed", figure: "nothing measured" });
  });

  it("is the scenario's judge, and plots recall", () => {
    expect(recoverBadDeploy.judge).toBe(judgeBadDeploy);
    expect(recoverBadDeploy.headline.observation).toBe(OBS.recall);
  });
});

describe("selecting the bad discounts", () => {
  const criteria = { amountCents: BAD_CENTS, window: { from: 1_000, to: 2_000 }, actor: BAD_VERSION };
  const candidate = (overrides: Partial<DiscountCandidate>): DiscountCandidate => ({ cartId: "c-1", discountId: "weekly-10", amountCents: BAD_CENTS, at: 1_500, actor: BAD_VERSION, ...overrides });

  it("keeps a −1000¢ discount applied by the bad version inside its window", () => {
    expect(selectBadDiscounts([candidate({})], criteria)).toEqual([{ cartId: "c-1", discountId: "weekly-10" }]);
  });

  it("excludes on what the design knows: amount, time outside the window, another actor", () => {
    expect(selectBadDiscounts([candidate({ amountCents: -10 })], criteria)).toEqual([]);
    expect(selectBadDiscounts([candidate({ at: 1_000 }), candidate({ at: 2_001 })], criteria)).toEqual([]);
    expect(selectBadDiscounts([candidate({ actor: "support-agent" })], criteria)).toEqual([]);
    expect(selectBadDiscounts([candidate({ at: 2_000 })], criteria)).toHaveLength(1);
  });

  it("cannot exclude on what the design does not know: a row with no time, a change with no actor", () => {
    expect(selectBadDiscounts([candidate({ at: null, actor: null, discountId: "goodwill" })], criteria)).toEqual([{ cartId: "c-1", discountId: "goodwill" }]);
    expect(selectBadDiscounts([candidate({ at: 500, actor: null })], criteria)).toEqual([]);
  });

  it("lists each cart's discount once, in order", () => {
    const found = selectBadDiscounts([candidate({ cartId: "c-2" }), candidate({}), candidate({})], criteria);
    expect(found.map((entry) => entry.cartId)).toEqual(["c-1", "c-2"]);
  });
});

describe("scoring a finding", () => {
  it("gives precision and recall as percents of the found and of the affected carts", () => {
    expect(scoreFinding(["a", "b", "x"], ["a", "b", "c", "d"])).toEqual({ truePositives: 2, falsePositives: 1, falseNegatives: 2, precision: 66.7, recall: 50 });
  });

  it("counts a cart found through two discounts once", () => {
    expect(scoreFinding(["a", "a"], ["a"])).toMatchObject({ precision: 100, recall: 100 });
  });

  it("has no precision when nothing was found", () => {
    expect(scoreFinding([], ["a"])).toMatchObject({ precision: null, recall: 0 });
  });
});

describe("reading candidates from each design's log", () => {
  it("takes DiscountApplied events from the journal, with recording time and actor", () => {
    const recorded: RecordedEvent = {
      globalPosition: "7",
      transactionId: "900",
      streamId: "cart-c-1",
      streamVersion: 3,
      eventId: "e-1",
      type: "DiscountApplied",
      schemaVersion: 1,
      storedSchemaVersion: 1,
      data: { cartId: "c-1", discountId: "weekly-10", sku: "banana", minQuantity: 1, amountCents: BAD_CENTS },
      metadata: { actor: BAD_VERSION, reason: "weekly promotion", correlationId: "k", decidedAt: "2026-01-01T00:00:00.000Z" },
      recordedAt: "2026-01-01T00:00:01.234567Z",
    };
    expect(journalCandidates([recorded, { ...recorded, type: "ItemRemoved", data: { cartId: "c-1", sku: "banana" } }])).toEqual([
      { cartId: "c-1", discountId: "weekly-10", amountCents: BAD_CENTS, at: Date.parse("2026-01-01T00:00:01.234Z"), actor: BAD_VERSION },
    ]);
  });

  it("takes discount rows from the topics, with commit time, and the actor only when intent travels", () => {
    const history: CdcHistory = new Map([
      [
        "c-1",
        [
          {
            txId: 5,
            committedAt: 1_500,
            lsn: 10,
            intent: null,
            changes: [
              { table: "cart_discounts", op: "c", before: null, after: { cart_id: "c-1", discount_id: "weekly-10", sku: "banana", min_quantity: 1, amount_cents: BAD_CENTS }, lsn: 10 },
              { table: "carts", op: "u", before: null, after: { cart_id: "c-1", status: "open", total_cents: null }, lsn: 11 },
            ],
          },
          {
            txId: 6,
            committedAt: 1_600,
            lsn: 12,
            intent: null,
            changes: [{ table: "cart_discounts", op: "d", before: { cart_id: "c-1", discount_id: "weekly-10", sku: "banana", min_quantity: 1, amount_cents: BAD_CENTS }, after: null, lsn: 12 }],
          },
        ],
      ],
    ]);
    expect(topicCandidates(history)).toEqual([{ cartId: "c-1", discountId: "weekly-10", amountCents: BAD_CENTS, at: 1_500, actor: null }]);
  });
});

describe("the bad deploy and its fix", () => {
  it("turns −10¢ discounts into −1000¢ ones under the bad version's name, and leaves everything else", () => {
    const promotion = weeklyPromotion("c-1", "banana");
    const { entry, buggy } = throughBadDeploy(promotion);
    expect(buggy).toBe(true);
    expect(entry.command["amountCents"]).toBe(BAD_CENTS);
    expect(entry.metadata.actor).toBe(BAD_VERSION);
    expect(throughBadDeploy({ ...promotion, command: { ...promotion.command, amountCents: -20 } }).buggy).toBe(false);
    expect(throughBadDeploy({ command: { type: "AddItem", cartId: "c-1" }, metadata: { actor: "a" } }).buggy).toBe(false);
  });

  it("revokes and re-applies as meant, which gives the cart it would have been without the bug", () => {
    const actual = createCartRecord();
    const intended = createCartRecord();
    const add = { type: "AddItem", cartId: "c-1", sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 2 };
    for (const record of [actual, intended]) recordCommand(record, add);
    recordCommand(intended, weeklyPromotion("c-1", "banana").command);
    recordCommand(actual, throughBadDeploy(weeklyPromotion("c-1", "banana")).entry.command);
    const view = recordedView(actual, "c-1");
    if (view === null) throw new Error("cart c-1 missing");
    const fix = fixCommands(view, "weekly-10");
    expect(fix.map((entry) => entry.command["type"])).toEqual(["RevokeDiscount", "ApplyDiscount"]);
    for (const entry of fix) {
      expect(entry.metadata).toEqual({ actor: FIX_ACTOR, reason: FIX_REASON });
      expect(recordCommand(actual, entry.command).accepted).toBe(true);
    }
    expect(recordedView(actual, "c-1")).toEqual(recordedView(intended, "c-1"));
  });

  it("does nothing for a discount the cart no longer holds at the bad amount", () => {
    const view = { cartId: "c-1", status: "open" as const, items: [], discounts: [{ discountId: "weekly-10", sku: "banana", minQuantity: 1, amountCents: -10 }], subtotalCents: 0, totalCents: 0 };
    expect(fixCommands(view, "weekly-10")).toEqual([]);
    expect(fixCommands(view, "promo-a")).toEqual([]);
  });
});
