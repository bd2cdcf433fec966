import { beforeAll, describe, expect, it } from "vitest";
import { recoverTamperedState } from "../../../scenarios/catalog/recover-tampered-state.ts";
import type { ScenarioResult, SubjectOutcome } from "../../../scenarios/model/observations.ts";
import type { RunContext } from "../../../scenarios/model/scenario.ts";
import type { SubjectId } from "../../../scenarios/model/subjects.ts";
import { runScenario } from "../../../scenarios/runner/run-scenario.ts";
import { createLogger } from "../../../services/platform/logger.ts";
import { silentProgress } from "../../../services/platform/progress.ts";
import { stack } from "../support/stack.ts";
import { uniqueName } from "../support/test-lab.ts";

let result: ScenarioResult;

function outcome(subject: SubjectId): SubjectOutcome {
  const found = result.outcomes.find((candidate) => candidate.subject === subject);
  if (found === undefined) throw new Error(`no outcome for ${subject}`);
  return found;
}

const value = (subject: SubjectId, name: string) => outcome(subject).observations[name]?.value;

beforeAll(async () => {
  const run: RunContext = {
    runId: uniqueName("t").replace("_", ""),
    seed: 20_261_201,
    size: "small",
    endpoints: stack(),
    logger: createLogger("warn"),
    progress: silentProgress,
    readyTimeoutMs: 120_000,
    logTail: async () => "",
  };
  result = await runScenario(recoverTamperedState, 0, run);
  console.info(`recover.tampered-state in ${result.durationMs} ms: ${JSON.stringify(result.outcomes.map((o) => ({ subject: o.subject, status: o.status, problem: o.problem?.message, ...Object.fromEntries(Object.entries(o.observations).map(([name, observation]) => [name, observation.value])) })))}`);
}, 300_000);

describe("recover.tampered-state at size small", () => {
  it("measures every subject", () => {
    for (const subject of recoverTamperedState.subjects) expect(outcome(subject).status, `${subject}: ${outcome(subject).problem?.message}`).toBe("measured");
  });

  it("tampers with the same carts in every subject", () => {
    const tampered = value("es", "cartsTampered");
    expect(tampered).toBe(3);
    for (const subject of recoverTamperedState.subjects) expect(value(subject, "cartsTampered"), subject).toBe(tampered);
  });

  it("restores every tampered cart exactly from the journal and from the topics, without touching the others", () => {
    for (const subject of ["es", "cdc-plain", "cdc-intent"] as const) {
      expect(value(subject, "cartsRestoredExactly"), subject).toBe(value(subject, "cartsTampered"));
      expect(value(subject, "otherCartsIntact"), subject).toBe(true);
      expect(value(subject, "restoreMs"), subject).toEqual(expect.any(Number));
      expect(recoverTamperedState.judge(outcome(subject)).symbol, subject).toBe("full");
    }
  });

  it("rewrites exactly the tampered carts from the topics", () => {
    for (const subject of ["cdc-plain", "cdc-intent"] as const) expect(value(subject, "cartsRewritten"), subject).toBe(value(subject, "cartsTampered"));
  });

  it("restores nothing from the CRUD tables alone, and says so as a measurement", () => {
    expect(value("crud", "cartsRestoredExactly")).toBe(0);
    expect(value("crud", "restoreMs")).toBeNull();
    expect(recoverTamperedState.judge(outcome("crud")).symbol).toBe("none");
  });

  it("shows the edit in the CDC topics, unattributed, and not in the journal", () => {
    expect(value("cdc-plain", "editVisibleInLog")).toBe(true);
    expect(value("cdc-intent", "editVisibleInLog")).toBe(true);
    expect(value("es", "editVisibleInLog")).toBe(false);
    expect(value("crud", "editVisibleInLog")).toBe(false);
    expect(value("cdc-plain", "editAttributed")).toBe(false);
    expect(value("cdc-intent", "editAttributed")).toBe(false);
    // Nothing in the log, so nothing to attribute.
    expect(value("es", "editAttributed")).toBeNull();
    expect(value("crud", "editAttributed")).toBeNull();
    // Only where every application change carries intent does a change without it stand out.
    expect(value("cdc-intent", "editStandsOut")).toBe(true);
    expect(value("cdc-plain", "editStandsOut")).toBe(false);
    const evidence = outcome("cdc-plain").evidence.find((entry) => entry.id === "cdc-plain-edit-on-topics");
    expect(evidence?.rows.length).toBeGreaterThanOrEqual(3);
    for (const row of evidence?.rows ?? []) expect(row[4]).toBeNull();
  });
});
