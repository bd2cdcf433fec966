import { describe, expect, it } from "vitest";
import { parseResults } from "../../../scenarios/results/results-file.ts";
import { renderHtml } from "../../../scenarios/report/report-html.ts";
import { renderMarkdown } from "../../../scenarios/report/report-markdown.ts";
import { renderMatrix } from "../../../scenarios/report/report-terminal.ts";
import { fakeCatalog, sampleResults, shapedCatalog, v1ResultsFile } from "./report-fixture.ts";

describe("a results.json of schema version 1", () => {
  const raw = v1ResultsFile();

  it("is a version 1 file: scalars only", () => {
    expect((raw as { schemaVersion: number }).schemaVersion).toBe(1);
    expect(JSON.stringify(raw)).not.toMatch(/"kind":"(distribution|curve)"/);
  });

  it("renders the same report.md, report.html and terminal matrix as the same run read as version 2", () => {
    const v1 = parseResults(raw, "a v1 results.json");
    const v2 = sampleResults();
    expect(renderMarkdown(v1, fakeCatalog)).toBe(renderMarkdown(v2, fakeCatalog));
    expect(renderHtml(v1, fakeCatalog)).toBe(renderHtml(v2, fakeCatalog));
    expect(renderMatrix(v1, fakeCatalog)).toBe(renderMatrix(v2, fakeCatalog));
    expect(renderMarkdown(v1, fakeCatalog)).toContain("| `reconstruct.as-of` | What was cart X at time T (and at version N)? | ● 100% (48/48) |");
  });

  it("shows a scalar where today's catalog declares a distribution as an observation without a verdict or a mark, never a wrong number", () => {
    const file = v1ResultsFile() as { scenarios: unknown[] };
    // Before v2, a lag scenario could only record its p99 as one number.
    file.scenarios.push({
      id: "lag.read-model",
      claim: "How stale is each read model under load?",
      startedAt: "2025-05-02T10:22:00.000Z",
      durationMs: 1000,
      outcomes: [{ subject: "es", status: "measured", observations: { lagMs: { value: 85, unit: "ms" } }, evidence: [], problem: null, durationMs: 1000 }],
    });
    const results = parseResults(file, "a v1 results.json with a scalar lag");
    const markdown = renderMarkdown(results, shapedCatalog);
    const section = markdown.slice(markdown.indexOf("### `lag.read-model`"), markdown.indexOf("## Caveats"));
    expect(section).toContain("| Event-sourced journal | · |");
    expect(section).toContain("- Event-sourced journal: · not measured");
    expect(section).toContain("| `lagMs` | ms | 85 ms |");
    const html = renderHtml(results, shapedCatalog);
    const chart = html.slice(html.indexOf(`<svg class="chart chart-percentiles"`));
    expect(chart).toContain(`<g class="distribution distribution-missing" data-subject="es" data-status="not measured">`);
  });

  it("is refused with a clear error when its version is one this build cannot read", () => {
    expect(() => parseResults({ ...(v1ResultsFile() as object), schemaVersion: 3 }, "a future results.json")).toThrow(/a future results.json is not a results file of schema version 1 or 2/);
  });
});
