import { describe, expect, it } from "vitest";
import type { LineChart } from "../../../scenarios/report/chart-data.ts";
import { renderChartSvg } from "../../../scenarios/report/report-chart.ts";
import { renderHtml } from "../../../scenarios/report/report-html.ts";
import { cellFor } from "../../../scenarios/report/verdicts.ts";
import { renderMarkdown } from "../../../scenarios/report/report-markdown.ts";
import { shapedCatalog, shapedResults } from "./report-fixture.ts";

/** The charts of a report, in order, with their kind. */
function charts(html: string): { kind: string; svg: string }[] {
  return [...html.matchAll(/<svg class="chart chart-([a-z]+)"[\s\S]*?<\/svg>/g)].map((match) => ({ kind: match[1] ?? "", svg: match[0] }));
}

function sectionOf(html: string, id: string): string {
  const start = html.indexOf(`<section class="card scenario" id="${id}">`);
  if (start < 0) throw new Error(`no section ${id}`);
  return html.slice(start, html.indexOf("</section>", start));
}

/** Groups of a chart carrying a class; a line's group holds its points' groups and ends on a line of its own. */
function groups(svg: string, className: string): { subject: string; status: string; markup: string }[] {
  const end = className === "series" ? "\\n</g>" : "</g>";
  return [...svg.matchAll(new RegExp(`<g class="(?:[^"]* )?${className}(?: [^"]*)?" data-subject="([^"]*)" data-status="([^"]*)">([\\s\\S]*?)${end}`, "g"))].map((match) => ({
    subject: match[1] ?? "",
    status: match[2] ?? "",
    markup: match[3] ?? "",
  }));
}

function number(markup: string, pattern: RegExp): number {
  const found = markup.match(pattern)?.[1];
  if (found === undefined) throw new Error(`${String(pattern)} not in ${markup}`);
  return Number(found);
}

describe("a distribution headline in report.html", () => {
  const html = renderHtml(shapedResults(), shapedCatalog);
  const section = sectionOf(html, "scenario-5-lag-read-model");
  const chart = charts(section)[0];

  it("draws a percentile chart: one row per subject the scenario asked", () => {
    expect(charts(section).map((found) => found.kind)).toEqual(["percentiles"]);
    expect(groups(chart?.svg ?? "", "distribution").map((row) => [row.subject, row.status])).toEqual([
      ["es", "full"],
      ["es-polling", "partial"],
      ["crud", "n/a"],
      ["cdc-plain", "failed"],
      ["cdc-default", "partial"],
      ["cdc-tuned", "full"],
    ]);
  });

  it("places p50, p95, p99 and max in that order along one shared axis, with the figures and the verdict's mark written under", () => {
    const rows = groups(chart?.svg ?? "", "distribution-measured");
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      const p50 = number(row.markup, /class="p50" cx="([\d.]+)"/);
      const p95 = p50 + number(row.markup, /class="p50-p95" x="[\d.]+" y="[\d.]+" width="([\d.]+)"/);
      const p99 = number(row.markup, /class="p99" data-x="([\d.]+)"/);
      const max = number(row.markup, /class="max" x1="([\d.]+)"/);
      expect(p50 < p95 && p95 < p99 && p99 < max, row.subject).toBe(true);
    }
    const es = rows.find((row) => row.subject === "es");
    const cdcDefault = rows.find((row) => row.subject === "cdc-default");
    expect(es?.markup).toContain(`class="value-label">● p50 12 ms · p95 40 ms · p99 85 ms · max 120 ms (n=2,000)</text>`);
    // The same axis for every row: a larger median sits further right.
    expect(number(cdcDefault?.markup ?? "", /class="p50" cx="([\d.]+)"/)).toBeGreaterThan(number(es?.markup ?? "", /class="p50" cx="([\d.]+)"/));
  });

  it("colours each glyph with its verdict, as the matrix does", () => {
    const rows = groups(chart?.svg ?? "", "distribution-measured");
    expect(rows.find((row) => row.subject === "es")?.markup).toContain(`fill="#2f855a"`);
    expect(rows.find((row) => row.subject === "es-polling")?.markup).toContain(`fill="#d69e2e"`);
  });

  it("uses a log axis for a spread from 12 ms to 2.1 s and says so on the axis", () => {
    expect(chart?.svg).toContain(`data-scale="log">Commit to read model (ms, log scale)</text>`);
    for (const tick of ["10", "100", "1,000", "10,000"]) expect(chart?.svg).toContain(`text-anchor="middle">${tick}</text>`);
  });

  it("stays linear when the spread is narrow", () => {
    const results = shapedResults();
    const lag = results.scenarios.find((scenario) => scenario.id === "lag.read-model");
    if (lag === undefined) throw new Error("fixture has no lag scenario");
    lag.outcomes = lag.outcomes.filter((outcome) => outcome.subject === "es");
    const svg = charts(sectionOf(renderHtml(results, shapedCatalog), "scenario-5-lag-read-model"))[0]?.svg ?? "";
    expect(svg).toContain(`data-scale="linear">Commit to read model (ms)</text>`);
  });

  it("draws a failed or n/a subject as a labelled placeholder, and keys the glyph's parts", () => {
    const missing = groups(chart?.svg ?? "", "distribution-missing");
    expect(missing.map((row) => row.subject)).toEqual(["crud", "cdc-plain"]);
    expect(missing[0]?.markup).toContain("— n/a: cannot be asked");
    expect(missing[1]?.markup).toContain("⚠ failed: not measured");
    expect(chart?.svg).toContain(`<g class="percentile-key">`);
    for (const part of ["p50", "p50 to p95", "p99", "max"]) expect(chart?.svg).toContain(`>${part}</text>`);
  });

  it("follows the observation: a longer tail moves the p99 mark and changes the cell", () => {
    const results = shapedResults();
    const es = results.scenarios.find((scenario) => scenario.id === "lag.read-model")?.outcomes.find((outcome) => outcome.subject === "es");
    if (es === undefined) throw new Error("fixture has no es lag");
    es.observations["lagMs"] = { value: { kind: "distribution", count: 2000, p50: 12, p95: 40, p99: 900, max: 1200 }, unit: "ms" };
    const changed = sectionOf(renderHtml(results, shapedCatalog), "scenario-5-lag-read-model");
    const row = groups(charts(changed)[0]?.svg ?? "", "distribution-measured").find((candidate) => candidate.subject === "es");
    expect(row?.status).toBe("partial");
    expect(row?.markup).toContain("◐ p50 12 ms · p95 40 ms · p99 900 ms · max 1.2 s (n=2,000)");
  });
});

describe("a curve headline in report.html", () => {
  const html = renderHtml(shapedResults(), shapedCatalog);
  const section = sectionOf(html, "scenario-6-snapshot-long-stream");
  const found = charts(section);

  it("draws a line chart for the headline and one for each other curve", () => {
    expect(found.map((chart) => chart.kind)).toEqual(["lines", "lines"]);
    expect(found[0]?.svg).toContain(`aria-labelledby="chart-5-title chart-5-desc"`);
    expect(found[1]?.svg).toContain(`aria-labelledby="chart-5-2-title chart-5-2-desc"`);
  });

  it("draws one line per subject with a curve, through each of its points", () => {
    const series = groups(found[0]?.svg ?? "", "series");
    expect(series.map((line) => [line.subject, line.status])).toEqual([
      ["es", "full"],
      ["es-no-snapshots", "partial"],
      ["crud", "full"],
      ["cdc-plain", "none"],
    ]);
    for (const line of series) {
      expect(line.markup.match(/d="(M[^"]*)"/)?.[1]?.split(/[ML]/).filter((part) => part.trim() !== "")).toHaveLength(3);
      expect([...line.markup.matchAll(/<g class="point">/g)]).toHaveLength(3);
    }
    expect(series[0]?.markup).toContain("<title>Event-sourced journal: 10,000 → 4.2 ms</title>");
  });

  it("labels both axes with their units", () => {
    const svg = found[0]?.svg ?? "";
    expect(svg).toContain(`class="axis-title x-title"`);
    expect(svg).toMatch(/data-scale="log">changes per cart \(count, log scale\)<\/text>/);
    expect(svg).toMatch(/class="axis-title y-title"[^>]*data-scale="log">↑ Load time \(ms, log scale\)<\/text>/);
  });

  it("names every subject in its legend with the matrix's verdict mark, and why a subject has no line", () => {
    const legend = (found[0]?.svg ?? "").slice((found[0]?.svg ?? "").indexOf(`<g class="line-legend">`));
    expect(legend).toContain(`<tspan class="verdict-mark" fill="#2f855a">●</tspan> Event-sourced journal`);
    expect(legend).toContain(`<tspan class="verdict-mark" fill="#c53030">○</tspan> CDC, REPLICA IDENTITY FULL`);
    expect(legend).toContain(`data-subject="crud-naive"><text x="60" y="`);
    expect(legend).toContain(">CRUD tables, no row lock (naive): — n/a: cannot be asked</text>");
  });

  it("keeps a subject's colour and marker the same in every line chart", () => {
    const strokeOf = (svg: string, subject: string) => groups(svg, "series").find((line) => line.subject === subject)?.markup.match(/class="series-line" d="[^"]*" fill="none" stroke="([^"]*)"/)?.[1];
    for (const subject of ["es", "es-no-snapshots", "crud", "cdc-plain"]) {
      expect(strokeOf(found[0]?.svg ?? "", subject), subject).toBeDefined();
      expect(strokeOf(found[1]?.svg ?? "", subject), subject).toBe(strokeOf(found[0]?.svg ?? "", subject));
    }
    const strokes = ["es", "es-no-snapshots", "crud", "cdc-plain"].map((subject) => strokeOf(found[0]?.svg ?? "", subject));
    expect(new Set(strokes).size).toBe(4);
  });

  it("keeps the points as a table under each chart", () => {
    expect(section).toContain(`<summary>Points of <code>loadMs</code> (ms) by changes per cart (count)</summary>`);
    expect(section).toContain(`<tr><th scope="row" class="num">10,000</th><td class="num">4.2 ms</td><td class="num">310 ms</td><td class="num">0.9 ms</td><td class="num">1.5 s</td></tr>`);
  });
});

describe("a curve over a linear x", () => {
  it("keeps a linear y however wide the spread, so a steady growth per operation stays a straight line", () => {
    const points = (perOp: number) => [1000, 4000, 16_000].map((x) => ({ x, y: x * perOp }));
    const chart: LineChart = {
      kind: "lines",
      label: "stored",
      observation: "storedBytes",
      unit: "bytes",
      xLabel: "operations",
      xUnit: "count",
      series: [
        { subject: "crud", value: { kind: "curve", xLabel: "operations", xUnit: "count", points: points(10) }, text: "", cell: cellFor(undefined, undefined) },
        { subject: "cdc-plain", value: { kind: "curve", xLabel: "operations", xUnit: "count", points: points(2650) }, text: "", cell: cellFor(undefined, undefined) },
      ],
    };
    const svg = renderChartSvg(chart, "storage.footprint", "7");
    expect(svg).toContain(`data-scale="linear">operations (count)</text>`);
    expect(svg).toContain(`data-scale="linear">↑ stored (bytes)</text>`);
    // Three points of one line on a straight segment: equal slopes between them.
    const d = svg.match(/data-subject="cdc-plain"[\s\S]*?d="M([\d.]+) ([\d.]+) L([\d.]+) ([\d.]+) L([\d.]+) ([\d.]+)"/)?.slice(1).map(Number) ?? [];
    expect(d).toHaveLength(6);
    const [x1, y1, x2, y2, x3, y3] = d as [number, number, number, number, number, number];
    expect((y2 - y1) / (x2 - x1)).toBeCloseTo((y3 - y2) / (x3 - x2), 1);
  });
});

describe("a naive subject's line", () => {
  it("is dashed, in the chart and in its legend", () => {
    const results = shapedResults();
    const long = results.scenarios.find((scenario) => scenario.id === "snapshot.long-stream");
    if (long === undefined) throw new Error("fixture has no long-stream scenario");
    long.outcomes = long.outcomes.map((outcome) =>
      outcome.subject === "crud-naive" ? { ...outcome, status: "measured", problem: null, observations: { loadMs: { value: { kind: "curve", xLabel: "changes per cart", xUnit: "count", points: [{ x: 100, y: 0.8 }] }, unit: "ms" } } } : outcome,
    );
    const svg = charts(sectionOf(renderHtml(results, shapedCatalog), "scenario-6-snapshot-long-stream"))[0]?.svg ?? "";
    const naive = groups(svg, "series").find((line) => line.subject === "crud-naive");
    const locked = groups(svg, "series").find((line) => line.subject === "crud");
    expect(naive?.markup).toContain(`stroke-dasharray="6 4"`);
    expect(locked?.markup).not.toContain("stroke-dasharray");
  });
});

describe("distributions and curves in report.md", () => {
  const markdown = renderMarkdown(shapedResults(), shapedCatalog);
  const lag = markdown.slice(markdown.indexOf("### `lag.read-model`"), markdown.indexOf("### `snapshot.long-stream`"));
  const long = markdown.slice(markdown.indexOf("### `snapshot.long-stream`"), markdown.indexOf("## Caveats"));

  it("writes the percentile chart out as a list, each subject with its verdict's mark", () => {
    expect(lag).toContain("**Commit to read model** (the chart in report.html), p50 · p95 · p99 · max per subject:");
    expect(lag).toContain("- Event-sourced journal: ● p50 12 ms · p95 40 ms · p99 85 ms · max 120 ms (n=2,000)");
    expect(lag).toContain("- CDC, REPLICA IDENTITY DEFAULT: ◐ p50 540 ms · p95 900 ms · p99 1.3 s · max 2.1 s (n=2,000)");
    expect(lag).toContain("- CDC, REPLICA IDENTITY FULL: ⚠ failed: not measured");
  });

  it("writes a distribution in the observations table", () => {
    expect(lag).toContain("| `lagMs` | ms | p50 12 ms · p95 40 ms · p99 85 ms · max 120 ms (n=2,000) | p50 260 ms · p95 480 ms · p99 510 ms · max 700 ms (n=2,000) |  |  |");
  });

  it("writes each curve as a small table: x down, one column per subject with a line", () => {
    expect(long).toContain("#### Curves");
    expect(long).toContain("`loadMs` (ms) by changes per cart (count):");
    expect(long).toContain("| changes per cart (count) | Event-sourced journal | Journal without snapshots (naive) | CRUD tables alone | CDC, REPLICA IDENTITY FULL |");
    expect(long).toContain("| 100 | 2.1 ms | 3.5 ms | 0.8 ms | 40 ms |");
    expect(long).toContain("| 10,000 | 4.2 ms | 310 ms | 0.9 ms | 1.5 s |");
    expect(long).toContain("`rowsRead` (count) by changes per cart (count):");
    expect(long).toContain("| 10,000 | 1 | 10,000 | 3 | 10,000 |");
    expect(long).toContain("**Load time** (the chart in report.html): one line per subject, its points in the table of `loadMs` under *Curves* below.");
  });

  it("writes a curve in one cell of the observations table", () => {
    expect(long).toContain("| `loadMs` | ms | changes per cart: 100 → 2.1 ms · 1,000 → 3 ms · 10,000 → 4.2 ms |");
  });

  it("leaves a blank where a subject's curve misses an x the others have", () => {
    const results = shapedResults();
    const es = results.scenarios.find((scenario) => scenario.id === "snapshot.long-stream")?.outcomes.find((outcome) => outcome.subject === "es");
    if (es === undefined) throw new Error("fixture has no es long-stream outcome");
    es.observations["loadMs"] = { value: { kind: "curve", xLabel: "changes per cart", xUnit: "count", points: [{ x: 100, y: 2.1 }] }, unit: "ms" };
    const changed = renderMarkdown(results, shapedCatalog);
    expect(changed).toContain("| 10,000 |  | 310 ms | 0.9 ms | 1.5 s |");
  });
});
