import { beforeAll, describe, expect, it } from "vitest";
import { OBS } from "../../../scenarios/catalog/erase.customer/observations.ts";
import { eraseCustomerScenario } from "../../../scenarios/catalog/erase.customer/scenario.ts";
import type { ScenarioResult, SubjectOutcome } from "../../../scenarios/model/observations.ts";
import type { SubjectId } from "../../../scenarios/model/subjects.ts";
import { outcomeOf, runScenarioForTest, valueOf } from "./scenario-harness.ts";

/**
 * erase.customer end to end at size "small" on the real stack: the scan finds the customer's
 * markers before the erase in every subject, and afterwards reports, per place, what each
 * design's own erase left readable. The figures below are what the designs do, measured.
 */
let result: ScenarioResult;

beforeAll(async () => {
  result = await runScenarioForTest(eraseCustomerScenario, 20_261_130);
}, 600_000);

const SUBJECTS = ["es", "es-plaintext", "crud", "cdc-plain", "cdc-compacted"] as const;
const outcome = (subject: SubjectId): SubjectOutcome => outcomeOf(result, subject);

describe("erase.customer at size small", () => {
  it("measures every subject, and the scan finds the markers before the erase (so it can fail)", () => {
    for (const subject of SUBJECTS) {
      expect(outcome(subject).status, `${subject}: ${outcome(subject).problem?.message ?? ""}`).toBe("measured");
      expect(valueOf(result, subject, OBS.markerRecordsBefore), subject).toBeGreaterThan(0);
      expect(valueOf(result, subject, OBS.placesHoldingBefore), subject).toBeGreaterThanOrEqual(2);
      expect(valueOf(result, subject, OBS.customerCarts), subject).toBe(2);
    }
  });

  it("leaves another customer's data where it was, in every subject", () => {
    for (const subject of SUBJECTS) {
      expect(valueOf(result, subject, OBS.controlRecordsBefore), subject).toBeGreaterThan(0);
      expect(valueOf(result, subject, OBS.controlRecordsAfter), subject).toBe(valueOf(result, subject, OBS.controlRecordsBefore));
    }
  });

  it("keeps the forgotten customer's totals everywhere, and their past where the design has one and kept it", () => {
    for (const subject of SUBJECTS) expect(valueOf(result, subject, OBS.totalsKept), subject).toBe(2);
    for (const subject of ["es", "es-plaintext", "cdc-plain"] as const) {
      expect(valueOf(result, subject, OBS.timeTravelProbes), subject).toBeGreaterThan(0);
      expect(valueOf(result, subject, OBS.timeTravelMatched), subject).toBe(valueOf(result, subject, OBS.timeTravelProbes));
    }
    expect(valueOf(result, "crud", OBS.timeTravelProbes)).toBeNull();
  });

  it("crypto-shredding clears the journal, snapshots, projection and shipping; the checkout message on Kafka remains", () => {
    expect(valueOf(result, "es", OBS.placesHoldingBefore)).toBe(2);
    expect(valueOf(result, "es", OBS.journalAfter)).toBe(0);
    expect(valueOf(result, "es", OBS.snapshotsAfter)).toBe(0);
    expect(valueOf(result, "es", OBS.projectionAfter)).toBe(0);
    expect(valueOf(result, "es", OBS.shippingAfter)).toBe(0);
    expect(valueOf(result, "es", OBS.checkoutTopicAfter)).toBe(1);
    expect(valueOf(result, "es", OBS.placesStillHolding)).toBe("checkout topic");
    expect(eraseCustomerScenario.judge(outcome("es"))).toEqual({ symbol: "partial", figure: "readable in 1/2 places (checkout topic)" });
  });

  it("the plaintext journal keeps the customer in its events for good; its erase only drops the snapshots", () => {
    expect(valueOf(result, "es-plaintext", OBS.journalAfter)).toBeGreaterThan(0);
    expect(valueOf(result, "es-plaintext", OBS.snapshotsAfter)).toBe(0);
    expect(valueOf(result, "es-plaintext", OBS.placesHoldingBefore)).toBe(4);
    expect(valueOf(result, "es-plaintext", OBS.placesStillHolding)).toBe("journal, checkout topic");
  });

  it("the CRUD erase clears the tables, the outbox and shipping; the checkout message on Kafka remains", () => {
    for (const subject of ["crud", "cdc-plain", "cdc-compacted"] as const) {
      expect(valueOf(result, subject, OBS.stateTablesAfter), subject).toBe(0);
      expect(valueOf(result, subject, OBS.outboxAfter), subject).toBe(0);
      expect(valueOf(result, subject, OBS.shippingAfter), subject).toBe(0);
      expect(valueOf(result, subject, OBS.checkoutTopicAfter), subject).toBe(1);
    }
    expect(valueOf(result, "crud", OBS.placesStillHolding)).toBe("checkout topic");
  });

  it("CDC topics kept in full still hold every change event that carried the customer", () => {
    expect(valueOf(result, "cdc-plain", OBS.changeTopicsAfter)).toBeGreaterThan(0);
    expect(valueOf(result, "cdc-plain", OBS.placesStillHolding)).toBe("change topics, checkout topic");
  });

  it("measures what compaction leaves on the change topics, and times the cleaner", () => {
    expect(valueOf(result, "cdc-compacted", OBS.compactionWaitMs)).toBeGreaterThan(0);
    expect(valueOf(result, "cdc-compacted", OBS.changeTopicsAfter)).not.toBeNull();
    expect(valueOf(result, "cdc-compacted", OBS.changeTopicsAfter)).toBeLessThan(valueOf(result, "cdc-plain", OBS.changeTopicsAfter) ?? 0);
  });
});
