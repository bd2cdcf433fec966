import { beforeAll, describe, expect, it } from "vitest";
import { lagReadModel, planFor } from "../../../scenarios/catalog/lag.read-model/scenario.ts";
import { OBS } from "../../../scenarios/catalog/lag.read-model/observations.ts";
import type { ScenarioResult } from "../../../scenarios/model/observations.ts";
import { outcomeOf, runScenarioForTest, valueOf } from "./scenario-harness.ts";

/**
 * lag.read-model end to end at size "small" on the real stack. Timings are measured, never
 * asserted: the test checks that every subject was measured, that each distribution has one
 * sample per write the workload made, in order, and that every read model ends equal to its
 * source.
 */
const SEED = 20_261_130;
let result: ScenarioResult;

beforeAll(async () => {
  result = await runScenarioForTest(lagReadModel, SEED);
  for (const outcome of result.outcomes) {
    for (const id of ["visible-via", "lag-over-time"]) console.info(outcome.subject, id, JSON.stringify(outcome.evidence.find((entry) => entry.id === id)?.rows));
  }
}, 600_000);

const subjects = lagReadModel.subjects;
const plan = planFor(SEED, "small");
const writes = plan.commands.filter((command) => command.writes).length;

describe("lag.read-model at size small", () => {
  it("measures every subject", () => {
    expect(subjects).toEqual(["cdc-plain", "cdc-tuned", "es", "es-polling"]);
    for (const subject of subjects) {
      const outcome = outcomeOf(result, subject);
      expect(outcome.status, `${subject}: ${outcome.problem?.message ?? ""}`).toBe("measured");
      expect(["full", "partial", "none"], subject).toContain(lagReadModel.judge(outcome).symbol);
    }
  });

  it("issues the whole workload to every subject and has one lag sample per write it made", () => {
    expect(writes).toBeGreaterThan(300);
    expect(writes).toBeLessThan(plan.commands.length);
    for (const subject of subjects) {
      expect(valueOf(result, subject, OBS.commandsIssued), subject).toBe(plan.commands.length);
      expect(valueOf(result, subject, OBS.writesMeasured), subject).toBe(writes);
      expect(valueOf(result, subject, OBS.lagMs)?.count, subject).toBe(writes);
      expect(valueOf(result, subject, OBS.targetPerSecond), subject).toBe(50);
      expect(valueOf(result, subject, OBS.issuedPerSecond), subject).toBeGreaterThan(0);
    }
  });

  it("gives ordered percentiles, and read-your-writes and feeder-busy shares between 0 and 100", () => {
    for (const subject of subjects) {
      const lag = valueOf(result, subject, OBS.lagMs);
      expect(lag, subject).not.toBeNull();
      if (lag === null) continue;
      expect(lag.p50, subject).toBeLessThanOrEqual(lag.p95);
      expect(lag.p95, subject).toBeLessThanOrEqual(lag.p99);
      expect(lag.p99, subject).toBeLessThanOrEqual(lag.max);
      for (const share of [valueOf(result, subject, OBS.readYourWrites), valueOf(result, subject, OBS.feederBusyPercent)]) {
        expect(share, subject).toBeGreaterThanOrEqual(0);
        expect(share, subject).toBeLessThanOrEqual(100);
      }
    }
  });

  it("ends with every read model equal to its source", () => {
    for (const subject of subjects) expect(valueOf(result, subject, OBS.readModelMatchesSource), subject).toBe(true);
  });

  it("says what woke each projection pass: notifications for the NOTIFY projection, never for the polling one", () => {
    const wokenBy = (subject: "es" | "es-polling") => (outcomeOf(result, subject).evidence.find((entry) => entry.id === "visible-via")?.rows ?? []).map((row) => row[0]);
    expect(wokenBy("es")).toContain("notification");
    for (const via of wokenBy("es-polling")) expect(["poll", "more"]).toContain(via);
    for (const subject of ["cdc-plain", "cdc-tuned"] as const) {
      expect(outcomeOf(result, subject).evidence.find((entry) => entry.id === "visible-via")?.rows.map((row) => row[0]), subject).toEqual(["consumer"]);
    }
  });

  it("names the slowest writes, and accounts for every write by what made it visible and by third of the run", () => {
    for (const subject of subjects) {
      const { evidence } = outcomeOf(result, subject);
      expect(evidence.find((entry) => entry.id === "slowest-writes")?.rows.length, subject).toBe(5);
      for (const id of ["visible-via", "lag-over-time"]) {
        const rows = evidence.find((entry) => entry.id === id)?.rows ?? [];
        expect(rows.reduce((sum, row) => sum + Number(row[1]), 0), `${subject} ${id}`).toBe(writes);
      }
    }
  });
});
