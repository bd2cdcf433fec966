import { describe, expect, it } from "vitest";
import type { Scenario } from "../../../scenarios/model/scenario.ts";
import { LEGEND, buildMatrix, cellFor, cellText } from "../../../scenarios/report/verdicts.ts";
import { failed, fakeCatalog, measured, sampleResults, unsupported } from "./report-fixture.ts";

const reconstruct = fakeCatalog[0] as Scenario<unknown>;

describe("the legend", () => {
  it("has one distinct mark for each of the six symbols", () => {
    expect(LEGEND.map((entry) => [entry.symbol, entry.mark])).toEqual([
      ["full", "●"],
      ["partial", "◐"],
      ["none", "○"],
      ["n/a", "—"],
      ["failed", "⚠"],
      ["not measured", "·"],
    ]);
    expect(new Set(LEGEND.map((entry) => entry.mark)).size).toBe(6);
  });
});

describe("a matrix cell", () => {
  const accuracy = (value: number) => ({
    exactMatchPercent: { value, unit: "percent" as const },
    probesMatched: { value: Math.round((value / 100) * 48), unit: "count" as const },
    probes: { value: 48, unit: "count" as const },
  });

  it("is the judge's verdict with its figure for a measured outcome", () => {
    expect(cellFor(reconstruct, measured("es", accuracy(100)))).toEqual({ symbol: "full", mark: "●", figure: "100% (48/48)", problem: null });
  });

  it("follows the observation: the same outcome with one figure changed gets another verdict", () => {
    const results = sampleResults();
    const before = buildMatrix(results, fakeCatalog).rows[0]?.cells["es"];
    expect(before && cellText(before)).toBe("● 100% (48/48)");

    const es = results.scenarios[0]?.outcomes.find((outcome) => outcome.subject === "es");
    if (es === undefined) throw new Error("fixture has no es outcome");
    es.observations["exactMatchPercent"] = { value: 87.5, unit: "percent" };
    es.observations["probesMatched"] = { value: 42, unit: "count" };

    const after = buildMatrix(results, fakeCatalog).rows[0]?.cells["es"];
    expect(after && cellText(after)).toBe("◐ 87.5% (42/48)");
  });

  it("is ⚠ with the problem for a failed outcome, never a verdict, even when it recorded observations", () => {
    const cell = cellFor(reconstruct, failed("cdc-late", "Timeout: connector did not reach RUNNING", "log", accuracy(100)));
    expect(cell.symbol).toBe("failed");
    expect(cell.mark).toBe("⚠");
    expect(cell.figure).toBe("Timeout: connector did not reach RUNNING");
    expect(cell.problem).toBe("Timeout: connector did not reach RUNNING");
  });

  it("does not even ask the judge about a failed outcome", () => {
    let asked = 0;
    const counting = { ...reconstruct, judge: () => ((asked += 1), { symbol: "full" as const, figure: "100%" }) };
    cellFor(counting, failed("es", "broke", null, accuracy(100)));
    expect(asked).toBe(0);
  });

  it("shortens a long problem to fit the matrix, keeping the whole message for the sections", () => {
    const message = `ComponentFailed: ${"x".repeat(200)}`;
    const cell = cellFor(reconstruct, failed("es", message, null));
    expect(cell.figure.length).toBeLessThanOrEqual(40);
    expect(cell.figure.endsWith("…")).toBe(true);
    expect(cell.problem).toBe(message);
  });

  it("is n/a with its reason for an unsupported outcome", () => {
    const cell = cellFor(reconstruct, unsupported("crud", "no past in the tables"));
    expect(cell).toEqual({ symbol: "n/a", mark: "—", figure: "no past in the tables", problem: "no past in the tables" });
  });

  it("is not measured for a subject with no outcome", () => {
    expect(cellFor(reconstruct, undefined)).toEqual({ symbol: "not measured", mark: "·", figure: "", problem: null });
  });

  it("is not measured for a scenario id the catalog does not know, whatever was observed", () => {
    const cell = cellFor(undefined, measured("es", accuracy(100)));
    expect(cell.symbol).toBe("not measured");
    expect(cell.problem).toContain("no scenario of this id");
  });

  it("is not measured, with the reason, when the judge cannot read the observations", () => {
    const cell = cellFor(reconstruct, measured("es", {}));
    expect(cell.symbol).toBe("not measured");
    expect(cell.problem).toContain("exactMatchPercent missing");
  });
});

describe("the matrix", () => {
  it("has one column per subject in the results, in the lab's subject order", () => {
    const matrix = buildMatrix(sampleResults(), fakeCatalog);
    expect(matrix.subjects).toEqual(["es", "crud", "cdc-plain", "cdc-intent", "cdc-default", "cdc-compacted", "cdc-late"]);
  });

  it("has a row per scenario that ran, then one per scenario that did not", () => {
    const matrix = buildMatrix(sampleResults(), fakeCatalog);
    expect(matrix.rows.map((row) => row.id)).toEqual(["reconstruct.as-of", "audit.intent", "recover.tampered-state", "storage.footprint", "lag.read-model"]);
    const notRun = matrix.rows[4];
    expect(notRun?.notRunReason).toBe("the stack stopped after recover.tampered-state");
    expect(Object.values(notRun?.cells ?? {}).every((cell) => cell.symbol === "not measured")).toBe(true);
  });

  it("reads every cell of the sample as the fixture means it", () => {
    const matrix = buildMatrix(sampleResults(), fakeCatalog);
    const text = matrix.rows.map((row) => matrix.subjects.map((subject) => cellText(row.cells[subject])));
    expect(text[0]).toEqual(["● 100% (48/48)", "— The CRUD tables keep only the present…", "● 100% (48/48)", "·", "◐ 62.5% (30/48)", "◐ 25% (12/48)", "⚠ Timeout: connector cdc-cdc_late did…"]);
    expect(text[2]).toEqual(["● 12/12 carts", "○ 0/12 carts", "● 12/12 carts", "·", "·", "◐ 9/12 carts", "·"]);
    expect(text[3]).toEqual(["·", "·", "·", "·", "·", "·", "·"]);
  });

  it("works with an empty catalog: every cell is not measured or what the run itself reported", () => {
    const matrix = buildMatrix(sampleResults(), []);
    const symbols = new Set(matrix.rows.flatMap((row) => Object.values(row.cells).map((cell) => cell.symbol)));
    expect([...symbols].sort()).toEqual(["failed", "n/a", "not measured"]);
  });
});
