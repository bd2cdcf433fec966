import { describe, expect, it } from "vitest";
import { renderHtml } from "../../../scenarios/report/report-html.ts";
import { renderMarkdown } from "../../../scenarios/report/report-markdown.ts";
import { tradeOffSummary } from "../../../scenarios/report/trade-off-summary.ts";
import type { DesignTradeOffs, TradeOffLine } from "../../../scenarios/report/trade-off-summary.ts";
import { buildMatrix } from "../../../scenarios/report/verdicts.ts";
import { fakeCatalog, sampleResults, shapedCatalog, shapedResults } from "./report-fixture.ts";

/** Each line as "scenario: subject text; subject text", the way a reader scans it. */
function lines(list: TradeOffLine[]): string[] {
  return list.map((line) => `${line.scenario}: ${line.entries.map((entry) => `${entry.subject} ${entry.text}`).join("; ")}`);
}

function designOf(summary: DesignTradeOffs[], design: DesignTradeOffs["design"]): DesignTradeOffs {
  const found = summary.find((candidate) => candidate.design === design);
  if (found === undefined) throw new Error(`no ${design} in the summary`);
  return found;
}

describe("the trade-off summary", () => {
  const summary = tradeOffSummary(buildMatrix(shapedResults(), shapedCatalog));

  it("has one entry per design in the run, journal first, each with its subjects in the matrix's order", () => {
    expect(summary.map((design) => [design.design, design.name, design.subjects])).toEqual([
      ["es", "Event-sourced journal", ["es", "es-no-snapshots", "es-polling"]],
      ["crud", "CRUD tables", ["crud", "crud-naive"]],
      ["cdc", "CRUD tables + Debezium CDC", ["cdc-plain", "cdc-intent", "cdc-default", "cdc-compacted", "cdc-late", "cdc-tuned"]],
    ]);
  });

  it("lists where a design paid: its partial, none and n/a cells with the judge's figure, scenario by scenario", () => {
    expect(lines(designOf(summary, "cdc").paid)).toEqual([
      "reconstruct.as-of: cdc-default ◐ 62.5% (30/48); cdc-compacted ◐ 25% (12/48)",
      "audit.intent: cdc-plain ◐ 33.3% of changes; cdc-intent ◐ 88.9% of changes",
      "recover.tampered-state: cdc-compacted ◐ 9/12 carts",
      "lag.read-model: cdc-default ◐ p99 1300 ms",
      "snapshot.long-stream: cdc-plain ○ 1500 ms at 10,000 changes",
    ]);
    expect(lines(designOf(summary, "crud").paid)).toEqual([
      "reconstruct.as-of: crud — The CRUD tables keep only the present…",
      "recover.tampered-state: crud ○ 0/12 carts",
      "lag.read-model: crud — The CRUD tables are their own read…",
      "snapshot.long-stream: crud-naive — The naive CRUD handler loads the same…",
    ]);
    expect(lines(designOf(summary, "es").paid)).toEqual(["lag.read-model: es-polling ◐ p99 510 ms", "snapshot.long-stream: es-no-snapshots ◐ 310 ms at 10,000 changes"]);
  });

  it("lists where a design answered fully", () => {
    expect(lines(designOf(summary, "es").full)).toEqual([
      "reconstruct.as-of: es ● 100% (48/48)",
      "audit.intent: es ● 100% of changes",
      "recover.tampered-state: es ● 12/12 carts",
      "lag.read-model: es ● p99 85 ms",
      "snapshot.long-stream: es ● 4.2 ms at 10,000 changes",
    ]);
    expect(lines(designOf(summary, "crud").full)).toEqual(["snapshot.long-stream: crud ● 0.9 ms at 10,000 changes"]);
  });

  it("keeps a failed subject and a scenario nothing could judge apart, as no verdict", () => {
    expect(lines(designOf(summary, "cdc").noVerdict)).toEqual([
      "reconstruct.as-of: cdc-late ⚠ Timeout: connector cdc-cdc_late did…",
      "storage.footprint: cdc-plain · not judged: this catalog has no scenario of this id, so nothing can…",
      "lag.read-model: cdc-plain ⚠ Timeout: read model did not catch up…",
    ]);
  });

  it("changes when one observation changes: a cell that becomes full moves from paid to answered fully", () => {
    const results = shapedResults();
    const compacted = results.scenarios.find((scenario) => scenario.id === "recover.tampered-state")?.outcomes.find((outcome) => outcome.subject === "cdc-compacted");
    if (compacted === undefined) throw new Error("fixture has no cdc-compacted recovery");
    compacted.observations["cartsRestored"] = { value: 12, unit: "count" };
    const cdc = designOf(tradeOffSummary(buildMatrix(results, shapedCatalog)), "cdc");
    expect(lines(cdc.paid)).not.toContain("recover.tampered-state: cdc-compacted ◐ 9/12 carts");
    expect(lines(cdc.full)).toContain("recover.tampered-state: cdc-plain ● 12/12 carts; cdc-compacted ● 12/12 carts");
  });

  it("changes when a distribution changes: a longer tail puts the journal among the scenarios where it paid", () => {
    const results = shapedResults();
    const es = results.scenarios.find((scenario) => scenario.id === "lag.read-model")?.outcomes.find((outcome) => outcome.subject === "es");
    if (es === undefined) throw new Error("fixture has no es lag");
    es.observations["lagMs"] = { value: { kind: "distribution", count: 2000, p50: 400, p95: 2500, p99: 3100, max: 4000 }, unit: "ms" };
    const journal = designOf(tradeOffSummary(buildMatrix(results, shapedCatalog)), "es");
    expect(lines(journal.paid)).toContain("lag.read-model: es ○ p99 3100 ms; es-polling ◐ p99 510 ms");
    expect(lines(journal.full)).not.toContain("lag.read-model: es ● p99 85 ms");
  });

  it("leaves out a scenario that did not run and a subject a scenario did not ask", () => {
    const summaryOfSample = tradeOffSummary(buildMatrix(sampleResults(), fakeCatalog));
    const everything = summaryOfSample.flatMap((design) => [...design.paid, ...design.full, ...design.noVerdict]);
    expect(everything.some((line) => line.scenario === "lag.read-model")).toBe(false);
    expect(designOf(summaryOfSample, "cdc").full.flatMap((line) => line.entries.map((entry) => entry.subject))).not.toContain("cdc-intent");
  });
});

describe("the trade-off summary in the reports", () => {
  it("opens report.md, before the matrix, with each design's lists", () => {
    const markdown = renderMarkdown(shapedResults(), shapedCatalog);
    const summary = markdown.slice(markdown.indexOf("## Trade-offs"), markdown.indexOf("## Results"));
    expect(markdown.indexOf("## Trade-offs")).toBeGreaterThan(0);
    expect(markdown.indexOf("## Trade-offs")).toBeLessThan(markdown.indexOf("## Results"));
    expect(summary).toContain("### CRUD tables\n\nSubjects: CRUD tables alone (`crud`), CRUD tables, no row lock (naive) (`crud-naive`).");
    expect(summary).toContain("- **Paid:**\n  - `lag.read-model`: Journal, projection polling ◐ p99 510 ms\n  - `snapshot.long-stream`: Journal without snapshots (naive) ◐ 310 ms at 10,000 changes");
    expect(summary).toContain("  - `snapshot.long-stream`: CRUD tables, no row lock (naive) — The naive CRUD handler loads the same…");
    expect(summary).toContain("- **Answered fully:**\n  - `snapshot.long-stream`: CRUD tables alone ● 0.9 ms at 10,000 changes");
    expect(summary).toContain("  - `reconstruct.as-of`: CDC, connector started late ⚠ Timeout: connector cdc-cdc\\_late did…");
  });

  it("opens report.html, before the matrix, one column per design linking to the scenarios", () => {
    const html = renderHtml(shapedResults(), shapedCatalog);
    const start = html.indexOf(`<section class="card" id="trade-offs">`);
    expect(start).toBeGreaterThan(0);
    expect(start).toBeLessThan(html.indexOf(`<section class="card" id="results">`));
    const summary = html.slice(start, html.indexOf("</section>", start));
    expect([...summary.matchAll(/<div class="design-tradeoffs" data-design="([a-z]+)">/g)].map((match) => match[1])).toEqual(["es", "crud", "cdc"]);
    expect(summary).toContain(
      `<li><a href="#scenario-5-lag-read-model"><code>lag.read-model</code></a> <span class="entry cell-partial" data-subject="es-polling" title="partial"><span class="who">Journal, projection polling</span> ◐ p99 510 ms</span></li>`,
    );
    expect(summary).toContain(`<span class="entry cell-none" data-subject="crud" title="none"><span class="who">CRUD tables alone</span> ○ 0/12 carts</span>`);
  });

  it("says so when a design has no cell in a list", () => {
    const results = sampleResults();
    results.scenarios = results.scenarios.filter((scenario) => scenario.id === "recover.tampered-state");
    const markdown = renderMarkdown(results, fakeCatalog);
    expect(markdown).toContain("### CRUD tables\n\nSubjects: CRUD tables alone (`crud`).\n\n- **Paid:**\n  - `recover.tampered-state`: CRUD tables alone ○ 0/12 carts\n- **Answered fully:** no cell of this design is full.");
    expect(markdown).toContain("### Event-sourced journal\n\nSubjects: Event-sourced journal (`es`).\n\n- **Paid:** no cell of this design is partial, none or n/a.");
  });
});
