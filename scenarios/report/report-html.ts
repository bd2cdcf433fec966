import type { BenchFile } from "../../bench/harness/bench-file.ts";
import { NO_BENCH } from "./design-costs.ts";
import type { Evidence } from "../model/observations.ts";
import type { LabResults } from "../results/results-file.ts";
import type { Chart } from "./chart-data.ts";
import type { CurveTable } from "./curve-table.ts";
import { escapeHtml as e } from "./html-escape.ts";
import { formatDuration, formatScalar } from "./observation-format.ts";
import { renderChartSvg } from "./report-chart.ts";
import { buildReportContent } from "./report-content.ts";
import type { Fact, ReportContent, ScenarioSection } from "./report-content.ts";
import { DESIGN_NAMES, designOf } from "./subject-setup.ts";
import type { DesignTradeOffs, TradeOffLine } from "./trade-off-summary.ts";
import { subjectLabel } from "./verdicts.ts";
import type { Cell, CellSymbol, ReportCatalog } from "./verdicts.ts";

/**
 * The whole stylesheet, inline: the report is one file that opens offline, from an archive or an
 * e-mail attachment, and loads nothing (no fonts, scripts or images).
 */
const STYLE = `
:root { --fg: #1a202c; --muted: #4a5568; --faint: #718096; --line: #e2e8f0; --bg: #f4f6f9; --card: #ffffff; --head: #edf2f7; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 28px 24px 56px; }
h1 { font-size: 26px; line-height: 1.25; margin: 0 0 6px; }
h2 { font-size: 20px; margin: 0 0 12px; }
h3 { font-size: 18px; margin: 0 0 6px; }
h3 code { font-size: 17px; font-weight: 700; background: none; padding: 0; }
h4 { font-size: 14px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 22px 0 8px; }
p { margin: 6px 0 10px; }
a { color: #2b6cb0; text-decoration: none; }
a:hover { text-decoration: underline; }
.meta { color: var(--muted); margin: 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 20px 24px; margin: 18px 0; }
nav.toc { display: flex; flex-wrap: wrap; gap: 6px 14px; margin-top: 12px; font-size: 14px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--head); font-weight: 600; font-size: 13px; }
td.num { font-variant-numeric: tabular-nums; }
code { font: 13px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; background: var(--head); padding: 1px 5px; border-radius: 4px; }
pre { background: #1a202c; color: #e2e8f0; padding: 12px 14px; border-radius: 6px; overflow: auto; font: 12px/1.45 ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; white-space: pre-wrap; }
.matrix { font-size: 13px; }
.matrix th, .matrix td { padding: 6px 8px; }
.matrix .scenario { min-width: 180px; width: 18%; }
.matrix .claim { display: block; color: var(--muted); font-weight: 400; font-size: 12.5px; margin-top: 2px; }
.matrix td.cell { font-variant-numeric: tabular-nums; }
/* Figures wrap inside their cell: with eight subjects a one-line figure pushes the matrix past the page. */
.matrix { table-layout: fixed; width: 100%; }
.matrix td.cell { overflow-wrap: anywhere; }
.matrix td.cell-failed, .matrix td.cell-na { font-size: 12px; line-height: 1.4; min-width: 120px; }
.matrix th.scenario code { white-space: nowrap; }
.matrix thead th { overflow-wrap: break-word; hyphens: auto; }
/* Nine to thirteen subjects: smaller type and a narrower scenario column keep every column on the page. */
.matrix.wide { font-size: 12px; }
.matrix.wide th, .matrix.wide td { padding: 5px 5px; }
.matrix.wide .scenario { width: 13%; min-width: 0; }
.matrix.wide thead th { font-size: 11px; }
.matrix.wide th.scenario code { font-size: 11.5px; white-space: normal; overflow-wrap: break-word; }
.matrix.wide .claim { font-size: 11.5px; }
.cell-full { background: #e6f4ea; }
.cell-partial { background: #fdf3dc; }
.cell-none { background: #fde8e8; }
.cell-na { background: #f1f3f6; color: var(--muted); }
.cell-failed { background: #fdebd8; color: #7b341e; }
.cell-not-measured { color: var(--faint); }
.mark { font-weight: 700; display: inline-block; min-width: 1.1em; }
.legend { list-style: none; padding: 0; margin: 14px 0 0; display: grid; grid-template-columns: repeat(auto-fit, minmax(330px, 1fr)); gap: 6px 18px; font-size: 14px; }
.legend .mark { padding: 0 6px; border-radius: 4px; margin-right: 6px; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 18px; }
.facts th { width: 40%; font-weight: 600; background: none; }
.verdicts { display: flex; flex-wrap: wrap; gap: 8px; margin: 12px 0 4px; padding: 0; list-style: none; }
.verdicts li { border: 1px solid var(--line); border-radius: 6px; padding: 4px 10px; font-size: 14px; }
.verdicts .who { color: var(--muted); margin-right: 6px; }
figure { margin: 14px 0 6px; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
svg.chart { max-width: 100%; height: auto; display: block; }
svg.chart text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, "DejaVu Sans", sans-serif; fill: #2d3748; }
svg.chart .axis-title { font-weight: 600; }
svg.chart .tick-label { fill: var(--muted); }
svg.chart .missing-label { font-style: italic; fill: var(--muted); }
svg.chart .key-note { fill: var(--muted); font-style: italic; }
svg.chart .verdict-mark { font-weight: 700; }
details.curve-data { margin: 4px 0 12px; font-size: 14px; }
details.curve-data summary { cursor: pointer; color: var(--muted); }
.matrix th.design { text-align: center; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); border-left: 2px solid var(--card); }
.tradeoffs { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 16px 22px; margin-top: 10px; }
.tradeoffs h3 { font-size: 16px; margin: 0 0 4px; }
.tradeoffs h4 { margin: 12px 0 4px; }
.tradeoffs .subjects { color: var(--muted); font-size: 13px; margin: 0 0 4px; }
.tradeoffs ul { list-style: none; padding: 0; margin: 0; font-size: 13.5px; }
.tradeoffs li { margin: 4px 0; }
.tradeoffs .entry { display: inline-block; border-radius: 4px; padding: 0 6px; margin: 1px 4px 1px 0; }
.tradeoffs .entry .who { color: var(--muted); }
.tradeoffs .nothing { color: var(--faint); font-style: italic; }
.evidence-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 14px; }
.evidence-grid h5 { margin: 0 0 6px; font-size: 14px; }
.evidence-grid table { font-size: 12.5px; }
.evidence-grid th, .evidence-grid td { padding: 4px 8px; white-space: nowrap; }
.problem { border-left: 4px solid #dd6b20; padding: 2px 0 2px 12px; margin: 10px 0; }
.problem.unsupported { border-left-color: #a0aec0; }
.problem p { margin: 2px 0 6px; }
.problem pre.message { background: var(--head); color: var(--fg); }
.problem summary { cursor: pointer; color: var(--muted); font-size: 14px; }
th.from-failed, td.from-failed { color: var(--faint); font-style: italic; }
.setup-table th code, .nowrap { white-space: nowrap; }
.note { color: var(--muted); font-style: italic; }
ol.caveats li { margin: 6px 0; }
footer { color: var(--faint); font-size: 13px; text-align: center; margin-top: 28px; }
@media print { body { background: #fff; } .card { break-inside: avoid; border: none; } }
`;

/** Past this many subject columns the matrix tightens its type to stay within the page. */
const WIDE_MATRIX_SUBJECTS = 8;

const SYMBOL_CLASSES: Record<CellSymbol, string> = {
  full: "cell-full",
  partial: "cell-partial",
  none: "cell-none",
  "n/a": "cell-na",
  failed: "cell-failed",
  "not measured": "cell-not-measured",
};

function anchorOf(index: number, id: string): string {
  return `scenario-${index + 1}-${id.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
}

function cellHtml(cell: Cell): string {
  // A non-breaking space keeps the mark with its figure when a narrow column wraps.
  const figure = cell.figure === "" ? "" : `&nbsp;${e(cell.figure)}`;
  return `<span class="mark" aria-label="${e(cell.symbol)}">${e(cell.mark)}</span>${figure}`;
}

function cellTitle(cell: Cell): string {
  return e(cell.problem === null ? cell.symbol : `${cell.symbol}: ${cell.problem}`);
}

function factsTable(caption: string, facts: Fact[]): string {
  const rows = facts.map((fact) => `<tr><th scope="row">${e(fact.label)}</th><td>${e(fact.value)}</td></tr>`).join("");
  return `<div><h2>${e(caption)}</h2><table>${rows}</table></div>`;
}

function matrixHtml(content: ReportContent, anchors: Map<string, string>): string {
  const { matrix } = content;
  if (matrix.rows.length === 0) return `<p class="note">No scenario ran.</p>`;
  const head = matrix.subjects.map((subject) => `<th class="subject" scope="col">${e(subjectLabel(subject))}</th>`).join("");
  // Thirteen subject columns read as three designs: a row above names each design's columns.
  const groups: { name: string; span: number }[] = [];
  for (const subject of matrix.subjects) {
    const name = DESIGN_NAMES[designOf(subject)];
    const last = groups[groups.length - 1];
    if (last !== undefined && last.name === name) last.span += 1;
    else groups.push({ name, span: 1 });
  }
  // The first row sets a fixed layout's column widths, so its corner cell carries the scenario column's.
  const designRow = `<tr class="designs"><td class="scenario"></td>${groups.map((group) => `<th class="design" scope="colgroup" colspan="${group.span}">${e(group.name)}</th>`).join("")}</tr>`;
  const rows = matrix.rows
    .map((row) => {
      const anchor = anchors.get(row.id);
      const name = anchor === undefined ? `<code>${e(row.id)}</code>` : `<a href="#${e(anchor)}"><code>${e(row.id)}</code></a>`;
      const claim = `${e(row.claim)}${row.notRunReason === null ? "" : ` <em>(did not run: ${e(row.notRunReason)})</em>`}`;
      const cells = matrix.subjects
        .map((subject) => {
          const cell = row.cells[subject];
          return `<td class="cell ${SYMBOL_CLASSES[cell.symbol]}" title="${cellTitle(cell)}">${cellHtml(cell)}</td>`;
        })
        .join("");
      return `<tr><th class="scenario" scope="row">${name}<span class="claim">${claim}</span></th>${cells}</tr>`;
    })
    .join("\n");
  return `<div class="scroll"><table class="matrix${matrix.subjects.length > WIDE_MATRIX_SUBJECTS ? " wide" : ""}"><thead>${designRow}<tr class="subjects"><th class="scenario" scope="col">Scenario</th>${head}</tr></thead><tbody>\n${rows}\n</tbody></table></div>`;
}

function legendHtml(content: ReportContent): string {
  const items = content.legend.map((entry) => `<li><span class="mark ${SYMBOL_CLASSES[entry.symbol]}">${e(entry.mark)}</span>${e(entry.meaning)}</li>`).join("");
  return `<ul class="legend" aria-label="Legend">${items}</ul>`;
}

function evidenceTable(evidence: Evidence): string {
  const head = evidence.columns.map((column) => `<th scope="col">${e(column)}</th>`).join("");
  const body =
    evidence.rows.length === 0
      ? `<tr><td colspan="${Math.max(1, evidence.columns.length)}" class="note">no rows</td></tr>`
      : evidence.rows.map((row) => `<tr>${evidence.columns.map((_, column) => `<td>${e(formatScalar(row[column] ?? null))}</td>`).join("")}</tr>`).join("");
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function entriesOf(chart: Chart): { value: unknown }[] {
  return chart.kind === "bars" ? chart.bars : chart.kind === "percentiles" ? chart.rows : chart.series;
}

function figureHtml(chart: Chart, scenarioId: string, chartId: string): string {
  const missing = entriesOf(chart).some((entry) => entry.value === null);
  const hatched = !missing
    ? ""
    : chart.kind === "lines"
      ? " A subject without a line is named in the legend with the reason: failed, n/a or not recorded, never zero."
      : " Hatched rows have no figure: failed, n/a or not recorded, never zero.";
  const what = chart.kind === "bars" ? "per subject" : chart.kind === "percentiles" ? "p50, p95, p99 and max per subject" : `by ${chart.xLabel}, one line per subject (a dashed line is a naive configuration)`;
  return `<figure>${renderChartSvg(chart, scenarioId, chartId)}<figcaption>${e(chart.label)} ${e(what)} (observation <code>${e(chart.observation)}</code>).${e(hatched)}</figcaption></figure>`;
}

function curveTableHtml(curve: CurveTable): string {
  const summary = `<summary>Points of <code>${e(curve.observation)}</code> (${e(curve.unit)}) by ${e(curve.xLabel)} (${e(curve.xUnit)})</summary>`;
  if (curve.subjects.length === 0) return `<details class="curve-data">${summary}<p class="note">No subject recorded a point.</p></details>`;
  const head = `<th scope="col">${e(curve.xLabel)} (${e(curve.xUnit)})</th>${curve.subjects.map((subject) => `<th scope="col">${e(subjectLabel(subject))}</th>`).join("")}`;
  const rows = curve.rows.map((row) => `<tr><th scope="row" class="num">${e(row.x)}</th>${row.values.map((value) => `<td class="num">${value === null ? "" : e(value)}</td>`).join("")}</tr>`).join("");
  return `<details class="curve-data">${summary}<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div></details>`;
}

function tradeOffItems(lines: TradeOffLine[], anchors: Map<string, string>, nothing: string): string {
  if (lines.length === 0) return `<p class="nothing">${e(nothing)}</p>`;
  const items = lines.map((line) => {
    const anchor = anchors.get(line.scenario);
    const name = anchor === undefined ? `<code>${e(line.scenario)}</code>` : `<a href="#${e(anchor)}"><code>${e(line.scenario)}</code></a>`;
    const entries = line.entries.map(
      ({ subject, cell, text }) =>
        `<span class="entry ${SYMBOL_CLASSES[cell.symbol]}" data-subject="${e(subject)}" title="${cellTitle(cell)}"><span class="who">${e(subjectLabel(subject))}</span> ${e(text)}</span>`,
    );
    return `<li>${name} ${entries.join("")}</li>`;
  });
  return `<ul>${items.join("")}</ul>`;
}

/** The report's top: where each design paid and where it answered fully, one column per design. */
function tradeOffsHtml(designs: DesignTradeOffs[], anchors: Map<string, string>): string {
  const columns = designs.map((design) => {
    const subjects = design.subjects.map((subject) => e(subjectLabel(subject))).join(" · ");
    const noVerdict = design.noVerdict.length === 0 ? "" : `<h4>No verdict</h4>${tradeOffItems(design.noVerdict, anchors, "")}`;
    return [
      `<div class="design-tradeoffs" data-design="${e(design.design)}">`,
      `<h3>${e(design.name)}</h3><p class="subjects">${subjects}</p>`,
      `<h4>Paid</h4>${tradeOffItems(design.paid, anchors, "No cell of this design is partial, none or n/a.")}`,
      `<h4>Answered fully</h4>${tradeOffItems(design.full, anchors, "No cell of this design is full.")}`,
      noVerdict,
      "</div>",
    ].join("");
  });
  return [
    `<section class="card" id="trade-offs">`,
    "<h2>Trade-offs</h2>",
    "<p>Read off the verdicts below, design by design: where a subject of the design paid (◐ partial, ○ none, — n/a, with the judge’s figure) and where it answered fully (●). A list, not a score: no scenario is weighed against another.</p>",
    designs.length === 0 ? `<p class="note">No subject was measured.</p>` : `<div class="tradeoffs">${columns.join("")}</div>`,
    "</section>",
  ].join("\n");
}

function sectionHtml(section: ScenarioSection, index: number, anchor: string): string {
  const parts: string[] = [`<section class="card scenario" id="${e(anchor)}">`, `<h3><code>${e(section.id)}</code></h3>`, `<p>${e(section.claim)}</p>`];
  parts.push(`<p class="meta">Started ${e(section.startedAt)}, took ${e(formatDuration(section.durationMs))}.</p>`);
  if (!section.known) parts.push(`<p class="note">This catalog has no scenario of this id: its observations (and curves) are shown, but no verdict or headline chart is given.</p>`);
  const verdicts = section.subjects
    .map((subject, position) => {
      const cell = section.cells[position];
      if (cell === undefined) return "";
      const shown = cell.figure === "" ? { ...cell, figure: cell.symbol } : cell;
      return `<li class="${SYMBOL_CLASSES[cell.symbol]}" title="${cellTitle(cell)}"><span class="who">${e(subjectLabel(subject))}</span>${cellHtml(shown)}</li>`;
    })
    .join("");
  parts.push(`<ul class="verdicts" aria-label="Verdicts">${verdicts}</ul>`);

  if (section.chart !== null) parts.push(figureHtml(section.chart, section.id, String(index)));

  parts.push("<h4>Observations</h4>");
  if (section.observations.length === 0) parts.push(`<p class="note">No observations were recorded.</p>`);
  else {
    const failedAt = section.cells.map((cell) => cell.symbol === "failed");
    const failedClass = (position: number) => (failedAt[position] === true ? " from-failed" : "");
    const head = section.subjects.map((subject, position) => `<th scope="col" class="${failedClass(position).trim()}">${e(subjectLabel(subject))}${failedAt[position] === true ? " ⚠" : ""}</th>`).join("");
    const rows = section.observations
      .map(
        (row) =>
          `<tr><th scope="row"><code>${e(row.name)}</code></th><td>${e(row.unit)}</td>${row.values.map((value, position) => `<td class="num${failedClass(position)}">${value === null ? "" : e(value)}</td>`).join("")}</tr>`,
      )
      .join("");
    parts.push(`<div class="scroll"><table><thead><tr><th scope="col">Observation</th><th scope="col">Unit</th>${head}</tr></thead><tbody>${rows}</tbody></table></div>`);
    if (failedAt.includes(true)) parts.push(`<p class="note">Columns marked ⚠ hold what a subject recorded before it failed: raw figures, not a verdict.</p>`);
  }

  if (section.curves.length > 0) {
    parts.push("<h4>Curves</h4>");
    section.curves.forEach((curve, position) => {
      // The headline's curve is drawn above already: here it keeps only its numbers.
      const drawn = section.chart?.kind === "lines" && section.chart.observation === curve.chart.observation;
      if (!drawn) parts.push(figureHtml(curve.chart, section.id, `${index}-${position + 1}`));
      parts.push(curveTableHtml(curve.table));
    });
  }

  for (const group of section.evidence) {
    parts.push(`<h4>Evidence: ${e(group.title)}</h4><div class="evidence-grid">`);
    for (const { subject, evidence } of group.bySubject) parts.push(`<div><h5>${e(subjectLabel(subject))}</h5>${evidenceTable(evidence)}</div>`);
    parts.push("</div>");
  }

  if (section.problems.length > 0) {
    parts.push("<h4>Problems</h4>");
    for (const problem of section.problems) {
      const tail = problem.logTail !== null && problem.logTail.trim() !== "" ? `<details><summary>Last log lines</summary><pre>${e(problem.logTail)}</pre></details>` : "";
      const status = problem.status === "failed" ? "⚠ failed" : "— unsupported";
      const message = problem.message.includes("\n") ? `<pre class="message">${e(problem.message)}</pre>` : `<p>${e(problem.message)}</p>`;
      parts.push(`<div class="problem ${problem.status}"><strong>${e(subjectLabel(problem.subject))}</strong> (${status})${message}${tail}</div>`);
    }
  }
  parts.push("</section>");
  return parts.join("\n");
}

export function renderHtmlContent(content: ReportContent): string {
  const anchors = new Map<string, string>();
  content.sections.forEach((section, index) => {
    if (!anchors.has(section.id)) anchors.set(section.id, anchorOf(index, section.id));
  });
  const toc = content.sections.map((section, index) => `<a href="#${e(anchorOf(index, section.id))}">${e(section.id)}</a>`).join("");
  const setupRows = content.setup.map((row) => `<tr><th scope="row">${e(row.label)} <code>${e(row.subject)}</code></th><td class="nowrap">${e(row.design)}</td><td>${e(row.history)}</td></tr>`).join("");
  const notRun =
    content.notRun.length === 0
      ? ""
      : `<section class="card"><h2>Scenarios that did not run</h2><ul>${content.notRun.map((entry) => `<li><code>${e(entry.id)}</code>: ${e(entry.reason)}</li>`).join("")}</ul></section>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<link rel="icon" href="data:,">
<title>${e(content.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${e(content.title)}</h1>
<p class="meta">Run <code>${e(content.runId)}</code> from ${e(content.startedAt)} to ${e(content.finishedAt)}. Generated from <code>results.json</code> in the same folder; every figure is a measurement of this run.</p>
${toc === "" ? "" : `<nav class="toc" aria-label="Scenarios">${toc}</nav>`}
</header>
${tradeOffsHtml(content.tradeOffs, anchors)}
${costsHtml(content)}
<section class="card" id="results">
<h2>Results</h2>
${matrixHtml(content, anchors)}
${legendHtml(content)}
</section>
<section class="card facts">
${factsTable("Versions tested", content.versions)}
${factsTable("Machine and run", content.environment)}
</section>
<section class="card" id="setup">
<h2>Setup</h2>
<p>Each scenario asks its question of these subjects: the same cart rules, stored by each design.</p>
${content.setup.length === 0 ? `<p class="note">No subject was measured.</p>` : `<div class="scroll"><table class="setup-table"><thead><tr><th scope="col">Subject</th><th scope="col">Design</th><th scope="col">History and configuration</th></tr></thead><tbody>${setupRows}</tbody></table></div>`}
</section>
${content.sections.map((section, index) => sectionHtml(section, index, anchorOf(index, section.id))).join("\n")}
${notRun}
<section class="card" id="caveats">
<h2>Caveats</h2>
<ol class="caveats">${content.caveats.map((caveat) => `<li>${e(caveat)}</li>`).join("")}</ol>
</section>
<footer>cdc-es-lab · one self-contained file: no scripts, fonts or images are loaded.</footer>
</main>
</body>
</html>
`;
}

function costsHtml(content: ReportContent): string {
  const { costs } = content;
  if (costs === null) return `<section class="card" id="costs"><h2>What each design costs</h2><p class="note">${e(NO_BENCH)}</p></section>`;
  const rows = costs.rows
    .map((row) => `<tr><th scope="row"><code>${e(row.id)}</code> ${e(row.label)}</th><td class="nowrap">${e(row.value)}</td><td class="nowrap">${e(row.ratio)}</td><td class="nowrap">${e(row.target)}</td></tr>`)
    .join("");
  return `<section class="card" id="costs"><h2>What each design costs</h2><p class="note">${e(costs.provenance)}</p><div class="scroll"><table><thead><tr><th scope="col">Measure</th><th scope="col">Value</th><th scope="col">Ratio to its baseline</th><th scope="col">Target</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

export function renderHtml(results: LabResults, catalog: ReportCatalog, bench: BenchFile | null = null): string {
  return renderHtmlContent(buildReportContent(results, catalog, bench));
}
