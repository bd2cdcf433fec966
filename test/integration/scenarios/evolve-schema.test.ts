import { beforeAll, describe, expect, it } from "vitest";
import { OBS } from "../../../scenarios/catalog/evolve.schema/observations.ts";
import { evolveSchema } from "../../../scenarios/catalog/evolve.schema/scenario.ts";
import type { ObservationName, ScenarioResult, SubjectOutcome } from "../../../scenarios/model/observations.ts";
import type { SubjectId } from "../../../scenarios/model/subjects.ts";
import { outcomeOf, runScenarioForTest, valueOf } from "./scenario-harness.ts";

let result: ScenarioResult;

const outcome = (subject: SubjectId): SubjectOutcome => outcomeOf(result, subject);
const value = <N extends ObservationName>(subject: SubjectId, name: N) => valueOf(result, subject, name);
const number = (subject: SubjectId, name: ObservationName<"number">): number => {
  const found = value(subject, name);
  if (found === null) throw new Error(`${subject} measured no ${name.name}`);
  return found;
};

beforeAll(async () => {
  result = await runScenarioForTest(evolveSchema, 20_261_130);
}, 300_000);

describe("evolve.schema at size small", () => {
  it("measures every subject", () => {
    for (const subject of evolveSchema.subjects) expect(outcome(subject).status, `${subject}: ${outcome(subject).problem?.message}`).toBe("measured");
  });

  it("keeps the running application whole through the change in every design: no write failed, every cart as recorded", () => {
    for (const subject of evolveSchema.subjects) {
      expect(value(subject, OBS.writesFailed), subject).toBe(0);
      expect(value(subject, OBS.cartsMatchingRecordPercent), subject).toBe(100);
    }
  });

  it("reads the whole history with the current code, journal and topics alike, and answers every probe across the change exactly", () => {
    for (const subject of ["es", "cdc-plain"] as const) {
      expect(number(subject, OBS.historyEntries), subject).toBeGreaterThan(0);
      expect(value(subject, OBS.readableByCurrentPercent), subject).toBe(100);
      for (const phase of [OBS.probesBefore, OBS.probesAcross, OBS.probesAfter]) expect(number(subject, phase), `${subject} ${phase.name}`).toBeGreaterThan(0);
      for (const exact of [OBS.probesExactBeforePercent, OBS.probesExactAcrossPercent, OBS.probesExactAfterPercent]) expect(value(subject, exact), `${subject} ${exact.name}`).toBe(100);
      expect(evolveSchema.judge(outcome(subject)).symbol, subject).toBe("full");
    }
  });

  it("leaves a reader built for one shape only with decode errors, counted, on either side of the change", () => {
    for (const subject of ["es", "cdc-plain"] as const) {
      const entries = number(subject, OBS.historyEntries);
      for (const [share, errors] of [
        [OBS.readableByOldShapePercent, OBS.oldShapeDecodeErrors],
        [OBS.readableByNewShapeOnlyPercent, OBS.newShapeOnlyDecodeErrors],
      ] as const) {
        expect(number(subject, errors), `${subject} ${errors.name}`).toBeGreaterThan(0);
        expect(number(subject, errors), `${subject} ${errors.name}`).toBeLessThan(entries);
        expect(number(subject, share), `${subject} ${share.name}`).toBeLessThan(100);
        expect(number(subject, share), `${subject} ${share.name}`).toBeCloseTo((100 * (entries - number(subject, errors))) / entries, 0);
      }
      // The old shape's reader knows every probe from before the change, and the new-shape-only one cannot read the old past.
      expect(value(subject, OBS.oldShapeProbesExactBeforePercent), subject).toBe(100);
      expect(number(subject, OBS.oldShapeProbesExactAfterPercent), subject).toBeLessThan(100);
      expect(number(subject, OBS.newShapeOnlyProbesExactBeforePercent), subject).toBeLessThan(100);
    }
  });

  it("shows the journal's past stays old (no upcaster, no answer), where the backfill rewrote the topics' latest images", () => {
    // The journal is never rewritten: a cart that began before the change still holds v2 events after it.
    expect(number("es", OBS.newShapeOnlyProbesExactAfterPercent)).toBeLessThan(100);
    expect(value("es", OBS.backfillRows)).toBeNull();
    // The backfill's updates are change events like any other: after them every line's latest image has the new column.
    expect(value("cdc-plain", OBS.newShapeOnlyProbesExactAfterPercent)).toBe(100);
    expect(number("cdc-plain", OBS.backfillRows)).toBeGreaterThan(0);
    expect(value("cdc-plain", OBS.backfillChangeEvents)).toBe(value("cdc-plain", OBS.backfillRows));
    // DDL is not captured by logical decoding: the expand and contract statements put nothing on the topics.
    expect(value("cdc-plain", OBS.migrationDdlChangeEvents)).toBe(0);
  });

  it("has no history on the CRUD tables alone: no readers, no probes, n/a", () => {
    expect(value("crud", OBS.historyEntries)).toBeNull();
    expect(value("crud", OBS.readableByCurrentPercent)).toBeNull();
    expect(value("crud", OBS.probesExactBeforePercent)).toBeNull();
    expect(number("crud", OBS.backfillRows)).toBeGreaterThan(0);
    expect(evolveSchema.judge(outcome("crud")).symbol).toBe("n/a");
  });

  it("breaks the old release with the naive one-step rename + retype: its writes fail as errors, and carts end wrong", () => {
    const writes = number("crud", OBS.naiveOldReleaseWrites);
    const failed = number("crud", OBS.naiveOldReleaseWritesFailed);
    expect(writes).toBe(evolveSchema.init({ seed: 20_261_130, size: "small" } as never).bounds.afterFrom - evolveSchema.init({ seed: 20_261_130, size: "small" } as never).bounds.acrossFrom);
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThanOrEqual(writes);
    expect(value("crud", OBS.naiveNewReleaseWritesFailed)).toBe(0);
    expect(number("crud", OBS.naiveCartsWrong)).toBeGreaterThan(0);
    const evidence = outcome("crud").evidence.find((entry) => entry.id === "crud-naive-migration");
    expect(evidence?.rows[0]?.[3]).toMatch(/unit_price_cents/);
  });

  it("shows what a connector that was down during the same migration puts on the topics: NULL prices emitted as 0.00", () => {
    // The same workload and expand/contract on tables and a connector of their own, the connector down from the expand to the contract.
    expect(value("cdc-plain", OBS.laggedConnectorChangeEvents)).toBe(value("cdc-plain", OBS.historyEntries));
    expect(number("cdc-plain", OBS.laggedConnectorImagesWrong)).toBeGreaterThan(0);
    // The current code's reader refuses the images whose two price columns disagree; a reader of the new column alone takes them as prices.
    expect(number("cdc-plain", OBS.laggedConnectorReadableByCurrentPercent)).toBeLessThan(100);
    expect(number("cdc-plain", OBS.laggedConnectorSilentlyWrongPrices)).toBeGreaterThan(0);
    const evidence = outcome("cdc-plain").evidence.find((entry) => entry.id === "cdc-plain-lagged-connector");
    expect(evidence?.rows.length).toBeGreaterThan(0);
    for (const row of evidence?.rows ?? []) expect(row[5]).toBe("0.00");
    // The best-practice run, which waited for Debezium before each DDL, has none of it.
    expect(value("cdc-plain", OBS.readableByCurrentPercent)).toBe(100);
  });
});
