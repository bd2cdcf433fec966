import { describe, expect, it } from "vitest";
import { auditCoverage, expectedChanges, workloadWithReasons } from "../../../scenarios/catalog/audit.intent/audit-record.ts";
import type { ExpectedChange, LoggedChange } from "../../../scenarios/catalog/audit.intent/audit-record.ts";
import { judgeAudit } from "../../../scenarios/catalog/audit.intent/judge.ts";
import { OBS } from "../../../scenarios/catalog/audit.intent/observations.ts";
import { auditIntent } from "../../../scenarios/catalog/audit.intent/scenario.ts";
import type { ObservationValue, SubjectOutcome } from "../../../scenarios/model/observations.ts";
import type { Scenario } from "../../../scenarios/model/scenario.ts";
import { generateCartWorkload } from "../../../scenarios/workload/cart-workload.ts";

function outcome(actor: ObservationValue, reason: ObservationValue, status: SubjectOutcome["status"] = "measured"): SubjectOutcome {
  return {
    subject: "cdc-intent",
    status,
    observations: { [OBS.actorKnownPercent.name]: { value: actor, unit: OBS.actorKnownPercent.unit }, [OBS.reasonKnownPercent.name]: { value: reason, unit: OBS.reasonKnownPercent.unit } },
    evidence: [],
    problem: null,
    durationMs: 1,
  };
}

describe("the audit.intent judge", () => {
  it("gives full when actor and reason are known for every change", () => {
    expect(judgeAudit(outcome(100, 100))).toEqual({ symbol: "full", figure: "actor 100%, reason 100%" });
  });

  it("gives partial when either falls short of every change", () => {
    expect(judgeAudit(outcome(100, 99.99))).toEqual({ symbol: "partial", figure: "actor 100%, reason 99.9%" });
    expect(judgeAudit(outcome(98.7, 100)).symbol).toBe("partial");
  });

  it("gives none when no change has a known actor, whatever the reasons", () => {
    expect(judgeAudit(outcome(0, 0))).toEqual({ symbol: "none", figure: "actor 0%, reason 0%" });
    expect(judgeAudit(outcome(0, 100)).symbol).toBe("none");
  });

  it("refuses to judge an outcome without its observations", () => {
    expect(() => judgeAudit({ ...outcome(100, 100), observations: {} })).toThrow(/actorKnownPercent/);
    expect(() => judgeAudit(outcome("100", 100))).toThrow(/actorKnownPercent/);
  });

  it("shows a share with nothing to divide as n/a", () => {
    expect(judgeAudit(outcome(100, null))).toEqual({ symbol: "partial", figure: "actor 100%, reason n/a" });
    expect(judgeAudit(outcome(null, null)).symbol).toBe("none");
  });

  it("reports a failed or unsupported subject as such, whatever it observed", () => {
    expect(judgeAudit(outcome(100, 100, "failed"))).toEqual({ symbol: "failed", figure: "failed" });
    expect(judgeAudit({ ...outcome(100, 100, "unsupported"), observations: {} }).symbol).toBe("n/a");
  });

  it("is the scenario's judge, and the scenario fits the catalog", () => {
    const entry: Scenario<unknown> = auditIntent;
    expect(entry.judge).toBe(judgeAudit);
    expect(entry.headline.observation).toBe(OBS.actorKnownPercent);
    expect(entry.subjects).toEqual(["es", "cdc-plain", "cdc-intent", "cdc-default"]);
  });
});

describe("audit coverage against the runner's record", () => {
  const expected = new Map<string, ExpectedChange[]>([
    [
      "c1",
      [
        { operation: "ItemAdded", actor: "alice", reason: null },
        { operation: "DiscountApplied", actor: "pricing", reason: "promo" },
      ],
    ],
    ["c2", [{ operation: "ItemAdded", actor: "bob", reason: "gift" }]],
  ]);
  const full = (change: ExpectedChange): LoggedChange => ({ at: "t", ...change });

  it("counts every column known when the log says what the command said", () => {
    const logged = new Map([...expected].map(([cartId, changes]) => [cartId, changes.map(full)] as const));
    expect(auditCoverage(expected, logged)).toEqual({ changesMade: 3, changesInLog: 3, operationKnown: 3, actorKnown: 3, commandsWithReason: 2, reasonKnown: 2 });
  });

  it("counts nothing known from row effects alone, and a change missing from the log as unknown", () => {
    const rowsOnly = (): LoggedChange => ({ at: "t", operation: null, actor: null, reason: null });
    const logged = new Map([["c1", [rowsOnly(), rowsOnly()]]]);
    expect(auditCoverage(expected, logged)).toEqual({ changesMade: 3, changesInLog: 2, operationKnown: 0, actorKnown: 0, commandsWithReason: 2, reasonKnown: 0 });
  });

  it("counts a wrong actor as unknown: only what the command said counts", () => {
    const logged = new Map([
      ["c1", [full({ operation: "ItemAdded", actor: "mallory", reason: null }), full({ operation: "DiscountApplied", actor: "pricing", reason: "promo" })]],
      ["c2", [full({ operation: "ItemAdded", actor: "bob", reason: "gift" })]],
    ]);
    expect(auditCoverage(expected, logged).actorKnown).toBe(2);
  });
});

describe("the audit workload", () => {
  const workload = workloadWithReasons(generateCartWorkload({ seed: 7, carts: 5, commands: 120, cartPrefix: "cart-" }), 8);

  it("names an actor on every command and a reason on most", () => {
    expect(workload.every((entry) => entry.metadata.actor.length > 0)).toBe(true);
    const withReason = workload.filter((entry) => entry.metadata.reason !== undefined).length;
    expect(withReason).toBeGreaterThan(workload.length / 2);
    expect(withReason).toBeLessThan(workload.length);
  });

  it("is the same for the same seeds", () => {
    expect(workloadWithReasons(generateCartWorkload({ seed: 7, carts: 5, commands: 120, cartPrefix: "cart-" }), 8)).toEqual(workload);
  });

  it("records only changes that write, and picks an open cart with a line for the operator", () => {
    const { expected, target } = expectedChanges(workload);
    const changes = [...expected.values()].flat();
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.length).toBeLessThan(workload.length);
    expect(changes.every((change) => !change.operation.includes("+"))).toBe(true);
    expect(target).not.toBeNull();
  });
});
