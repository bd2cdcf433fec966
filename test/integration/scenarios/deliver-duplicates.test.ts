import { beforeAll, describe, expect, it } from "vitest";
import { outcomeOf, runScenarioForTest, valueOf } from "./scenario-harness.ts";
import { CONSUMER_DEATHS } from "../../../scenarios/catalog/deliver.duplicates/cdc-consumers.ts";
import { OBS } from "../../../scenarios/catalog/deliver.duplicates/observations.ts";
import { deliverDuplicates } from "../../../scenarios/catalog/deliver.duplicates/scenario.ts";
import type { ScalarValue, ScenarioResult } from "../../../scenarios/model/observations.ts";

// Kills Kafka Connect with kill -9: run it on a stack of its own (LAB_TEST_LAB_DIR), or last in a
// shared run. The scenario starts Connect again and waits for it before it ends.
let result: ScenarioResult;

const CDC = ["cdc-plain", "cdc-tuned"] as const;

/** A figure that must have been measured: a missing one fails here, not as a misleading 0. */
function measured(subject: (typeof deliverDuplicates.subjects)[number], name: Parameters<typeof valueOf>[2]): number {
  const value = valueOf(result, subject, name);
  expect(value, `${subject} ${name.name}`).toEqual(expect.any(Number));
  return value as number;
}

/** The rows of a subject's evidence table, by its id suffix (`duplicates-by-topic`, `naive-lines`). */
function evidenceRows(subject: (typeof deliverDuplicates.subjects)[number], suffix: string): ScalarValue[][] {
  const evidence = outcomeOf(result, subject).evidence.find((entry) => entry.id === `${subject}-${suffix}`);
  expect(evidence, `${subject}-${suffix}`).toBeDefined();
  return evidence?.rows ?? [];
}

/** Copies on the subject's topics that `keep` selects, from the per-topic evidence. */
function copiesOn(subject: (typeof deliverDuplicates.subjects)[number], keep: (topic: string) => boolean): number {
  return evidenceRows(subject, "duplicates-by-topic")
    .filter(([topic]) => keep(String(topic)))
    .reduce((sum, row) => sum + (row[2] as number), 0);
}

beforeAll(async () => {
  result = await runScenarioForTest(deliverDuplicates, 20_261_130);
}, 600_000);

describe("deliver.duplicates at size small", () => {
  it("measures every subject", () => {
    for (const subject of deliverDuplicates.subjects) expect(outcomeOf(result, subject).status, `${subject}: ${outcomeOf(result, subject).problem?.message}`).toBe("measured");
  });

  it("after the kill -9, the read model idempotent by LSN equals the CRUD tables exactly", () => {
    for (const subject of CDC) {
      expect(measured(subject, OBS.cartsCompared), subject).toBeGreaterThan(0);
      expect(measured(subject, OBS.idempotentCartsWrong), subject).toBe(0);
      // It skipped every second copy of a row change: Debezium's, and the record each death
      // handed over again (intent messages are not its business).
      expect(measured(subject, OBS.idempotentSkipped), subject).toBe(copiesOn(subject, (topic) => !topic.endsWith(".message")) + CONSUMER_DEATHS);
      expect(deliverDuplicates.judge(outcomeOf(result, subject)).symbol, subject).toBe("full");
    }
  });

  it("the naive tally's error is exactly the quantity its duplicate applications carried", () => {
    for (const subject of CDC) {
      const duplicatesApplied = measured(subject, OBS.naiveDuplicatesApplied);
      // The feed commits what its handler resolved, so each death hands over again exactly the
      // record it died on.
      expect(measured(subject, OBS.consumerRedeliveries), subject).toBe(CONSUMER_DEATHS);
      // Debezium's copies of cart_items changes, and the cart_items change each death came back to.
      expect(duplicatesApplied, subject).toBe(copiesOn(subject, (topic) => topic.endsWith(".cart_items")) + CONSUMER_DEATHS);
      expect(measured(subject, OBS.naiveQuantityError), subject).toBe(measured(subject, OBS.naiveDuplicateQuantity));
      // A cart can only be wrong through a line that got a delta twice.
      const wrongLines = evidenceRows(subject, "naive-lines");
      for (const [cartId, sku, crudQuantity, naiveQuantity, duplicateDelta] of wrongLines) {
        expect((naiveQuantity as number) - (crudQuantity as number), `${subject} ${String(cartId)}/${String(sku)}`).toBe(duplicateDelta);
      }
      const wrongCarts = new Set(wrongLines.filter((row) => row[2] !== row[3]).map((row) => row[0]));
      expect(measured(subject, OBS.naiveCartsWrong), subject).toBe(wrongCarts.size);
    }
  });

  it("counts Debezium's redelivered change events against what was past the last flushed offset at the kill", () => {
    for (const subject of CDC) {
      const duplicates = measured(subject, OBS.duplicatesDelivered);
      const unflushed = measured(subject, OBS.unflushedAtKill);
      expect(measured(subject, OBS.recordsDelivered), subject).toBeGreaterThan(duplicates);
      // Everything sent after the last flush is sent again, and nothing before it.
      expect(duplicates, subject).toBe(unflushed);
    }
  });

  it("the journal's publisher sends a lost-checkpoint batch again; shipping records each checkout once", () => {
    const expected = measured("es", OBS.checkoutsExpected);
    expect(expected).toBeGreaterThan(0);
    const duplicates = measured("es", OBS.duplicatesDelivered);
    expect(duplicates).toBeGreaterThan(0);
    expect(measured("es", OBS.recordsDelivered)).toBe(expected + duplicates);
    expect(measured("es", OBS.shipmentsRecorded)).toBe(expected);
    expect(measured("es", OBS.shippingDuplicatesAbsorbed)).toBe(duplicates);
  });

  it("redelivering every event to the projection changes no row: its checkpoint commits with them", () => {
    expect(measured("es", OBS.consumerRedeliveries)).toBeGreaterThan(0);
    expect(measured("es", OBS.projectionRowsChanged)).toBe(0);
    expect(measured("es", OBS.idempotentCartsWrong)).toBe(0);
    expect(deliverDuplicates.judge(outcomeOf(result, "es")).symbol).toBe("full");
  });
});
