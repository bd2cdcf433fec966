import { describe, expect, it } from "vitest";
import type { Chart } from "../../../scenarios/report/chart-data.ts";
import { renderChartSvg } from "../../../scenarios/report/report-chart.ts";
import { renderHtml } from "../../../scenarios/report/report-html.ts";
import { cellFor } from "../../../scenarios/report/verdicts.ts";
import { HOSTILE, everySubjectResults, fakeCatalog, failed, hostileResults, measured, sampleResults } from "./report-fixture.ts";

function charts(html: string): string[] {
  return [...html.matchAll(/<svg class="chart[^"]*"[\s\S]*?<\/svg>/g)].map((match) => match[0]);
}

function barsOf(svg: string): { subject: string; status: string; markup: string }[] {
  return [...svg.matchAll(/<g class="bar [^"]*" data-subject="([^"]*)" data-status="([^"]*)">([\s\S]*?)<\/g>/g)].map((match) => ({
    subject: match[1] ?? "",
    status: match[2] ?? "",
    markup: match[3] ?? "",
  }));
}

describe("report.html", () => {
  const html = renderHtml(sampleResults(), fakeCatalog);

  it("is one self-contained document: no script, no external stylesheet, font or image", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\ssrc=/i);
    expect(html).not.toMatch(/@import|@font-face/i);
    expect([...html.matchAll(/<link [^>]*>/g)].map((match) => match[0])).toEqual([`<link rel="icon" href="data:,">`]);
    // The SVG namespace is a name, not a fetch; no other address appears.
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', "")).not.toMatch(/https?:\/\//);
    expect([...html.matchAll(/url\(([^)]*)\)/g)].every((match) => match[1]?.startsWith("#"))).toBe(true);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it("has the matrix with the same cells as the Markdown, and the legend", () => {
    expect(html).toContain(`<td class="cell cell-full" title="full"><span class="mark" aria-label="full">●</span>&nbsp;100% (48/48)</td>`);
    expect(html).toContain(`<td class="cell cell-partial" title="partial"><span class="mark" aria-label="partial">◐</span>&nbsp;62.5% (30/48)</td>`);
    expect(html).toContain(`<td class="cell cell-none" title="none"><span class="mark" aria-label="none">○</span>&nbsp;0/12 carts</td>`);
    const legend = html.slice(html.indexOf(`<ul class="legend"`), html.indexOf("</ul>", html.indexOf(`<ul class="legend"`)));
    expect([...legend.matchAll(/<li>/g)]).toHaveLength(6);
    for (const mark of ["●", "◐", "○", "—", "⚠", "·"]) expect(legend).toContain(`">${mark}</span>`);
  });

  it("names each design above its subjects' columns", () => {
    expect(html).toContain(
      `<tr class="designs"><td class="scenario"></td><th class="design" scope="colgroup" colspan="1">Event-sourced journal</th><th class="design" scope="colgroup" colspan="1">CRUD tables</th><th class="design" scope="colgroup" colspan="5">CRUD tables + Debezium CDC</th></tr>`,
    );
    expect(html).toContain(`<table class="matrix"><thead>`);
  });

  it("tightens the matrix for thirteen subjects, the designs spanning 4, 2 and 7 columns", () => {
    const wide = renderHtml(everySubjectResults(), fakeCatalog);
    expect(wide).toContain(`<table class="matrix wide"><thead>`);
    expect([...wide.matchAll(/<th class="design" scope="colgroup" colspan="(\d+)">/g)].map((match) => Number(match[1]))).toEqual([4, 2, 7]);
    expect([...wide.matchAll(/<th class="subject" scope="col">/g)]).toHaveLength(13);
  });

  it("shows a failed subject as ⚠ with its message in full on hover and in its section, never as a verdict", () => {
    expect(html).toContain(
      `<td class="cell cell-failed" title="failed: Timeout: connector cdc-cdc_late did not reach RUNNING within 60000 ms"><span class="mark" aria-label="failed">⚠</span>&nbsp;Timeout: connector cdc-cdc_late did…</td>`,
    );
    expect(html).toContain(`<strong>CDC, connector started late</strong> (⚠ failed)<p>Timeout: connector cdc-cdc_late did not reach RUNNING within 60000 ms</p>`);
    expect(html).toContain("<summary>Last log lines</summary><pre>[2025-05-02 10:14:03,112] INFO");
  });

  it("lists the versions, the machine and the caveats", () => {
    for (const row of ["<th scope=\"row\">PostgreSQL</th><td>15.10</td>", "<th scope=\"row\">Debezium</th><td>3.6.1.Final</td>", "<th scope=\"row\">kafkajs</th><td>2.2.4</td>", "<th scope=\"row\">Seed</th><td>42</td>"]) {
      expect(html).toContain(row);
    }
    const caveats = html.slice(html.indexOf(`<section class="card" id="caveats">`));
    expect([...caveats.matchAll(/<li>/g)].length).toBe(9);
    expect(caveats).toContain("fsync=off");
    expect(caveats).toContain("two runs of one seed agree on every figure except those results.json marks as varying");
  });

  it("draws one chart per scenario the catalog knows, one bar per subject it asked", () => {
    const svgs = charts(html);
    expect(svgs).toHaveLength(3);
    expect(svgs.map((svg) => barsOf(svg).length)).toEqual([6, 3, 4]);
    for (const [index, svg] of svgs.entries()) {
      expect(svg).toContain(`role="img" aria-labelledby="chart-${index}-title chart-${index}-desc"`);
      expect(svg).toMatch(new RegExp(`<title id="chart-${index}-title">[^<]+</title>`));
      expect(svg).toMatch(new RegExp(`<desc id="chart-${index}-desc">[^<]+</desc>`));
      expect(svg).toContain(`class="axis-title"`);
    }
    expect(svgs[0]).toContain(`<title id="chart-0-title">reconstruct.as-of: Exact-match probes (%) per subject</title>`);
    for (const tick of ["0%", "25%", "50%", "75%", "100%"]) expect(svgs[0]).toContain(`>${tick}</text>`);
  });

  it("writes each value on its bar and draws what was not measured as a labelled placeholder, not a zero", () => {
    const bars = barsOf(charts(html)[0] ?? "");
    const bySubject = Object.fromEntries(bars.map((bar) => [bar.subject, bar]));
    expect(bySubject["es"]?.markup).toContain(`class="value-label">● 100%</text>`);
    expect(bySubject["cdc-default"]?.markup).toContain(`class="value-label">◐ 62.5%</text>`);
    expect(bySubject["cdc-late"]?.status).toBe("failed");
    expect(bySubject["cdc-late"]?.markup).not.toContain("bar-value");
    expect(bySubject["cdc-late"]?.markup).toContain("⚠ failed: not measured");
    expect(bySubject["crud"]?.status).toBe("n/a");
    expect(bySubject["crud"]?.markup).toContain("— n/a: cannot be asked");
    // A measured zero is a bar of width zero with its value, unlike the placeholders above.
    const recovered = Object.fromEntries(barsOf(charts(html)[2] ?? "").map((bar) => [bar.subject, bar]));
    expect(recovered["crud"]?.markup).toMatch(/class="bar-value" [^>]*width="0.0"/);
    expect(recovered["crud"]?.markup).toContain(`class="value-label">○ 0</text>`);
  });

  it("scales a count chart to a round maximum above its largest bar", () => {
    const svg = charts(html)[2] ?? "";
    for (const tick of ["0", "5", "10", "15"]) expect(svg).toContain(`text-anchor="middle">${tick}</text>`);
  });

  it("draws a subject whose headline is missing as not measured", () => {
    const scenario = fakeCatalog[0];
    if (scenario === undefined) throw new Error("no fake scenario");
    const outcome = measured("es", { somethingElse: { value: 1, unit: "count" } });
    const chart: Chart = {
      kind: "bars",
      label: "Exact-match probes",
      observation: "exactMatchPercent",
      unit: "percent",
      bars: [{ subject: "es", value: null, text: "· not measured", cell: cellFor(scenario, outcome) }],
    };
    const svg = renderChartSvg(chart, "reconstruct.as-of", "9");
    expect(barsOf(svg)).toEqual([expect.objectContaining({ subject: "es", status: "not measured" })]);
    expect(svg).not.toContain("bar-value");
  });

  it("gives no chart and no verdict to a scenario the catalog does not know", () => {
    const section = html.slice(html.indexOf(`id="scenario-4-storage-footprint"`));
    expect(section).toContain("This catalog has no scenario of this id");
    expect(section.slice(0, section.indexOf("</section>"))).not.toContain("<svg");
  });

  it("changes a cell and its bar when an observation changes", () => {
    const results = sampleResults();
    const es = results.scenarios[0]?.outcomes.find((outcome) => outcome.subject === "es");
    if (es === undefined) throw new Error("fixture has no es outcome");
    es.observations["exactMatchPercent"] = { value: 50, unit: "percent" };
    es.observations["probesMatched"] = { value: 24, unit: "count" };
    const changed = renderHtml(results, fakeCatalog);
    expect(changed).toContain(`<span class="mark" aria-label="partial">◐</span>&nbsp;50% (24/48)</td>`);
    const bar = barsOf(charts(changed)[0] ?? "").find((candidate) => candidate.subject === "es");
    expect(bar?.status).toBe("partial");
    expect(bar?.markup).toContain(`width="190.0"`);
  });

  it("shows a failed subject's problem even when it recorded every observation", () => {
    const results = sampleResults();
    const first = results.scenarios[0];
    if (first === undefined) throw new Error("fixture has no scenario");
    first.outcomes = [failed("es", "Connect died", null, { exactMatchPercent: { value: 100, unit: "percent" }, probesMatched: { value: 48, unit: "count" }, probes: { value: 48, unit: "count" } })];
    const changed = renderHtml(results, fakeCatalog);
    const row = changed.slice(changed.indexOf(`<tr><th class="scenario" scope="row"><a href="#scenario-1-reconstruct-as-of">`));
    expect(row.slice(0, row.indexOf("</tr>"))).toContain(`<td class="cell cell-failed" title="failed: Connect died"><span class="mark" aria-label="failed">⚠</span>&nbsp;Connect died</td>`);
    expect(barsOf(charts(changed)[0] ?? "")[0]?.status).toBe("failed");
  });
});

describe("report.html of hostile results", () => {
  const { results, catalog } = hostileResults();
  const html = renderHtml(results, catalog);

  it("escapes every string from results.json", () => {
    expect(html).not.toMatch(/<script|<img|<b |<svg onload/i);
    // Attribute values are quoted and escaped; what is left of a tag without them is its attribute names.
    const tags = [...html.matchAll(/<[a-z][^>]*>/gi)].map((match) => match[0].replace(/"[^"]*"/g, '""'));
    expect(tags.filter((tag) => /\son[a-z]+=/i.test(tag))).toEqual([]);
    expect(html).toContain("&lt;script&gt;window.__pwned = &quot;claim&quot;&lt;/script&gt;");
    expect(html).toContain("boom &lt;/pre&gt;&lt;img src=x onerror=&quot;window.__pwned=&#39;message&#39;&quot;&gt; &amp; more");
    expect(html).toContain(`col&quot;&gt;&lt;svg onload=&quot;window.__pwned=&#39;column&#39;&quot;&gt;`);
  });

  it("replaces control characters", () => {
    expect(html).not.toContain("\u001b");
    expect(html).toContain(`\uFFFD[2J\uFFFD[31mred`);
  });

  it("still opens every element it closes", () => {
    const opened = (tag: string) => [...html.matchAll(new RegExp(`<${tag}[\\s>]`, "g"))].length;
    const closed = (tag: string) => [...html.matchAll(new RegExp(`</${tag}>`, "g"))].length;
    for (const tag of ["table", "tr", "td", "pre", "section", "svg", "ul", "li"]) expect(closed(tag), tag).toBe(opened(tag));
    expect(HOSTILE.message).toContain("</pre>");
  });
});
