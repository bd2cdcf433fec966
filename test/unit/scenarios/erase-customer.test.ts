import { describe, expect, it } from "vitest";
import { checkoutCount, customerMarkers, eraseWorkload } from "../../../scenarios/catalog/erase.customer/customers.ts";
import { judgeEraseCustomer } from "../../../scenarios/catalog/erase.customer/judge.ts";
import { OBS } from "../../../scenarios/catalog/erase.customer/observations.ts";
import { addCount, placeOfTable, placesHolding, totalRecords } from "../../../scenarios/catalog/erase.customer/places.ts";
import { eraseCustomerScenario, probedVersions } from "../../../scenarios/catalog/erase.customer/scenario.ts";
import type { Observation, ObservationName, SubjectOutcome } from "../../../scenarios/model/observations.ts";
import type { Scenario } from "../../../scenarios/model/scenario.ts";

function observations(entries: [ObservationName, Observation["value"]][]): Record<string, Observation> {
  return Object.fromEntries(entries.map(([name, value]) => [name.name, { value, unit: name.unit }]));
}

/** A measured outcome as the scenario records it; `changes` replaces single figures. */
function outcome(changes: [ObservationName, Observation["value"]][] = []): SubjectOutcome {
  const base: [ObservationName, Observation["value"]][] = [
    [OBS.customerCarts, 2],
    [OBS.placesScanned, 6],
    [OBS.markerRecordsBefore, 9],
    [OBS.placesHoldingBefore, 5],
    [OBS.markerRecordsAfter, 3],
    [OBS.placesHoldingAfter, 2],
    [OBS.placesStillHolding, "change topics, checkout topic"],
    [OBS.totalsKept, 2],
    [OBS.timeTravelProbes, 12],
    [OBS.timeTravelMatched, 12],
  ];
  const merged = new Map(base.map(([name, value]) => [name.name, [name, value] as [ObservationName, Observation["value"]]]));
  for (const [name, value] of changes) merged.set(name.name, [name, value]);
  return { subject: "cdc-plain", status: "measured", observations: observations([...merged.values()]), evidence: [], problem: null, durationMs: 1 };
}

describe("the erase.customer judge", () => {
  it("gives partial, naming the places, when some places still hold the customer", () => {
    expect(judgeEraseCustomer(outcome())).toEqual({ symbol: "partial", figure: "readable in 2/5 places (change topics, checkout topic)" });
  });

  it("gives full when no place holds the customer any more and the carts kept totals and past", () => {
    expect(judgeEraseCustomer(outcome([[OBS.placesHoldingAfter, 0], [OBS.markerRecordsAfter, 0], [OBS.placesStillHolding, ""]]))).toEqual({
      symbol: "full",
      figure: "gone from all 5 places",
    });
  });

  it("gives none when every place that held the customer still does", () => {
    expect(judgeEraseCustomer(outcome([[OBS.placesHoldingAfter, 5]])).symbol).toBe("none");
  });

  it("changes the cell when one figure changes: lost totals or a lost past stop a full erase being full", () => {
    const erased: [ObservationName, Observation["value"]][] = [[OBS.placesHoldingAfter, 0], [OBS.markerRecordsAfter, 0], [OBS.placesStillHolding, ""]];
    expect(judgeEraseCustomer(outcome([...erased, [OBS.totalsKept, 1]]))).toEqual({ symbol: "partial", figure: "gone from all 5 places; 1/2 carts lost their totals" });
    expect(judgeEraseCustomer(outcome([...erased, [OBS.timeTravelMatched, 2]]))).toEqual({ symbol: "partial", figure: "gone from all 5 places; 10/12 past states lost" });
  });

  it("does not ask for a past the design does not keep (the CRUD tables)", () => {
    const noPast = outcome([[OBS.placesHoldingAfter, 0], [OBS.placesStillHolding, ""]]);
    delete noPast.observations[OBS.timeTravelProbes.name];
    delete noPast.observations[OBS.timeTravelMatched.name];
    expect(judgeEraseCustomer(noPast).symbol).toBe("full");
  });

  it("reports a scan that found nothing before the erase as a failure, never as erased", () => {
    expect(judgeEraseCustomer(outcome([[OBS.markerRecordsBefore, 0], [OBS.placesHoldingBefore, 0], [OBS.placesHoldingAfter, 0]]))).toEqual({
      symbol: "failed",
      figure: "the scan found no marker before the erase, so it proves nothing",
    });
    expect(judgeEraseCustomer(outcome([[OBS.placesHoldingAfter, null]])).symbol).toBe("failed");
  });

  it("is ⚠ for a failed subject whatever it observed, and n/a for an unsupported one", () => {
    expect(judgeEraseCustomer({ ...outcome([[OBS.placesHoldingAfter, 0]]), status: "failed", problem: { message: "boom", logTail: null } })).toEqual({ symbol: "failed", figure: "failed" });
    expect(judgeEraseCustomer({ ...outcome(), status: "unsupported" }).symbol).toBe("n/a");
  });

  it("is the scenario's judge, and the scenario asks the five subjects", () => {
    const entry: Scenario<unknown> = eraseCustomerScenario as Scenario<unknown>;
    expect(entry.judge).toBe(judgeEraseCustomer);
    expect(entry.id).toBe("erase.customer");
    expect(entry.headline.observation).toBe(OBS.placesHoldingAfter);
    expect(entry.subjects).toEqual(["es", "es-plaintext", "crud", "cdc-plain", "cdc-compacted"]);
    expect(entry.steps.map((step) => step.actor)).toEqual(["consumer", "app", "consumer", "operator", "operator", "debezium", "operator", "operator", "operator"]);
  });
});

describe("the erase.customer workload and places", () => {
  it("gives the same customers and commands for the same seed, with markers unique to the seed", () => {
    const one = eraseWorkload(7, "small");
    expect(eraseWorkload(7, "small")).toEqual(one);
    expect(one.forgotten.email).toBe("erase-7-1@example.test");
    expect(customerMarkers(one.forgotten)).toEqual(["erase-7-1@example.test", "1 Erase-7-1 Street, Testtown"]);
    expect(one.control.customerId).not.toBe(one.forgotten.customerId);
    expect(JSON.stringify(eraseWorkload(8, "small"))).not.toContain("erase-7-");
    expect(checkoutCount(one)).toBe(one.customers.length + 1);
    expect(one.commands.filter((entry) => entry.command["type"] === "CheckOut")).toHaveLength(checkoutCount(one));
  });

  it("gives the forgotten customer's open cart a stream past the journal's snapshot interval", () => {
    const { commands, forgotten } = eraseWorkload(7, "small");
    expect(commands.filter((entry) => entry.command["cartId"] === forgotten.carts[1]).length).toBeGreaterThan(100);
  });

  it("names tables by kind, never by their run's schema", () => {
    expect(["events", "snapshots", "cart_summaries", "carts", "cart_items", "outbox", "shipments", "customer_keys"].map(placeOfTable)).toEqual([
      "journal",
      "snapshots",
      "projection",
      "state tables",
      "state tables",
      "outbox",
      "shipping",
      "table customer_keys",
    ]);
  });

  it("lists the places holding records in a fixed order and sums them", () => {
    const counts = new Map<string, number>();
    addCount(counts, "checkout topic", 1);
    addCount(counts, "state tables", 2);
    addCount(counts, "state tables", 1);
    addCount(counts, "journal", 0);
    addCount(counts, "table customer_keys", 1);
    expect(placesHolding(counts)).toEqual(["state tables", "checkout topic", "table customer_keys"]);
    expect(totalRecords(counts)).toBe(5);
  });

  it("probes the first versions, the middle and the last of a long cart", () => {
    expect(probedVersions(3)).toEqual([1, 2, 3]);
    expect(probedVersions(104)).toEqual([1, 2, 3, 4, 5, 52, 104]);
    expect(probedVersions(0)).toEqual([]);
  });
});
