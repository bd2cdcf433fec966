import { formatNumber } from "../../scenarios/report/observation-format.ts";
import { escapeHtml as e } from "../../scenarios/report/html-escape.ts";
import type { Measure } from "./benchmark.ts";
import type { BenchFile } from "./bench-file.ts";
import { renderBenchBarChart } from "./bench-chart.ts";
import type { BenchBarChart } from "./bench-chart.ts";
import {
  OUTCOME_MARKS,
  baselineText,
  durabilityText,
  machineText,
  measureTargetText,
  outcomeText,
  perOperationText,
  profileRows,
  ratioText,
  runText,
  settingsText,
  spreadText,
  valueText,
  versionsText,
} from "./bench-format.ts";
import { targetOutcome } from "./target-check.ts";

/** Inline, like report.html's: one file that opens offline and loads nothing. */
const STYLE = `
:root { --fg: #1a202c; --muted: #4a5568; --line: #e2e8f0; --bg: #f4f6f9; --card: #ffffff; --head: #edf2f7; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, Arial, "DejaVu Sans", sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 28px 24px 56px; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 20px; margin: 0 0 12px; }
.meta { color: var(--muted); margin: 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 20px 24px; margin: 18px 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--head); font-weight: 600; font-size: 13px; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font: 13px/1.4 ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; background: var(--head); padding: 1px 5px; border-radius: 4px; }
tbody th code { white-space: nowrap; }
.label { display: block; color: var(--muted); font-size: 12.5px; font-weight: 400; }
.met { background: #e6f4ea; }
.missed { background: #fde8e8; }
.note { color: var(--muted); font-style: italic; }
figure { margin: 14px 0 6px; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
svg.chart { max-width: 100%; height: auto; display: block; }
svg.chart text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, "DejaVu Sans", sans-serif; fill: #2d3748; }
svg.chart .axis-title { font-weight: 600; }
svg.chart .tick-label { fill: var(--muted); }
.facts th { width: 22%; background: none; }
.problem { border-left: 4px solid #dd6b20; padding: 2px 0 2px 12px; margin: 10px 0; }
details { margin: 8px 0; }
details summary { cursor: pointer; }
footer { color: #718096; font-size: 13px; text-align: center; margin-top: 28px; }
`;

const OUTCOME_CLASSES = { met: "met", missed: "missed", "no target": "" } as const;

function ratioChart(measures: Measure[]): BenchBarChart | null {
  const compared = measures.filter((measure) => measure.ratio !== null);
  if (compared.length === 0) return null;
  return {
    id: "ratios",
    title: "Each measure divided by its baseline, with the issue's target",
    axisLabel: "ratio to baseline",
    unit: "ratio",
    bars: compared.map((measure) => {
      const target = measureTargetText(measure);
      const mark = OUTCOME_MARKS[targetOutcome(measure)].split(" ")[0] ?? "";
      return { label: measure.id, value: measure.ratio as number, target: measure.target, outcome: targetOutcome(measure), text: `${mark} ${ratioText(measure.ratio)}${target === "" ? "" : ` (${target})`}`.trim() };
    }),
  };
}

/** One chart per unit: figures of one unit share an axis, figures of two never do. */
function valueCharts(measures: Measure[]): BenchBarChart[] {
  const units = [...new Set(measures.map((measure) => measure.unit))];
  return units.map((unit, index) => {
    const ofUnit = measures.filter((measure) => measure.unit === unit);
    return {
      id: `values-${index + 1}`,
      title: `Measures in ${unit} (median of the repetitions)`,
      axisLabel: unit,
      unit: unit === "ms" ? "ms" : "count",
      bars: ofUnit.map((measure) => {
        // A target on the value is drawn here; a target on the ratio belongs to the ratio chart.
        const onValue = measure.baseline === null && measure.target !== null;
        const outcome = onValue ? targetOutcome(measure) : "no target";
        const mark = OUTCOME_MARKS[outcome].split(" ")[0] ?? "";
        return { label: measure.id, value: measure.value, target: onValue ? measure.target : null, outcome, text: `${mark} ${formatNumber(measure.value)}`.trim() };
      }),
    };
  });
}

function figure(chart: BenchBarChart, caption: string): string {
  return `<figure>${renderBenchBarChart(chart)}<figcaption>${e(caption)}</figcaption></figure>`;
}

function measuresTable(file: BenchFile): string {
  const byId = new Map(file.measures.map((measure) => [measure.id, measure]));
  const rows = file.measures
    .map((measure) => {
      const outcome = targetOutcome(measure);
      return `<tr><th scope="row"><code>${e(measure.id)}</code><span class="label">${e(measure.label)}</span></th><td class="num">${e(valueText(measure.value, measure.unit))}</td><td class="num">${e(spreadText(measure))}</td><td>${e(baselineText(measure, byId))}</td><td class="num">${e(ratioText(measure.ratio))}</td><td class="num">${e(measureTargetText(measure))}</td><td class="${OUTCOME_CLASSES[outcome]}">${e(outcomeText(measure))}</td><td class="num">${e(perOperationText(measure))}</td></tr>`;
    })
    .join("\n");
  return `<div class="scroll"><table><thead><tr><th scope="col">Measure</th><th scope="col">Value (median)</th><th scope="col">Spread</th><th scope="col">Baseline</th><th scope="col">Ratio</th><th scope="col">Target</th><th scope="col">Result</th><th scope="col">Round trips / statements per op</th></tr></thead><tbody>\n${rows}\n</tbody></table></div>`;
}

function profilesHtml(measures: Measure[]): string {
  const profiled = measures.filter((measure) => profileRows(measure).length > 0);
  if (profiled.length === 0) return "";
  const tables = profiled.map((measure) => {
    const rows = profileRows(measure)
      .map((row) => `<tr><td><code>${e(row.statement)}</code></td><td class="num">${e(row.calls)}</td><td class="num">${e(row.ms)}</td><td class="num">${e(row.share)}</td></tr>`)
      .join("");
    return `<details><summary><code>${e(measure.id)}</code> ${e(measure.label)}</summary><div class="scroll"><table><thead><tr><th scope="col">Statement</th><th scope="col">Calls per op</th><th scope="col">ms per op</th><th scope="col">Share</th></tr></thead><tbody>${rows}</tbody></table></div></details>`;
  });
  return `<section class="card" id="profiles">
<h2>Where the time goes</h2>
<p>Per operation, over the warm-up: every statement text the operation sent, how often, and how long it waited for its result (the wait in the connection's queue included). With several writers the waits overlap, so shares can add up to more than 100%.</p>
${tables.join("\n")}
</section>`;
}

export function renderBenchHtml(file: BenchFile): string {
  const ratios = ratioChart(file.measures);
  const settingsRows = file.measures.map((measure) => `<tr><th scope="row"><code>${e(measure.id)}</code></th><td>${e(settingsText(measure))}</td></tr>`).join("");
  const problems = file.problems.length === 0 ? "" : `<section class="card"><h2>Benchmarks that failed</h2>${file.problems.map((problem) => `<div class="problem"><strong>${e(problem.benchmark)}</strong><p>${e(problem.message)}</p></div>`).join("")}</section>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<link rel="icon" href="data:,">
<title>Bench ${e(file.id)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>Bench ${e(file.id)}</h1>
<p class="meta">From ${e(file.startedAt)} to ${e(file.finishedAt)}: ${e(runText(file))}. Every figure was measured under <strong>${e(durabilityText(file))}</strong>${file.durable ? " (--durable)" : ""}. Generated from <code>bench.json</code> in the same folder.</p>
</header>
<section class="card" id="measures">
<h2>Measures</h2>
${file.measures.length === 0 ? `<p class="note">No measure was taken.</p>` : measuresTable(file)}
<p class="note">Ratio: the value divided by its baseline's, measured in the same run under the same settings. A target is compared with the ratio when there is a baseline, with the value otherwise. Round trips and statements per operation are counted over the warm-up, not typed.</p>
</section>
${problems}
<section class="card" id="charts">
<h2>Charts</h2>
${ratios === null ? "" : figure(ratios, "Ratio to the baseline measured in the same run; the dashed mark is the target. ✓ met, ✗ missed.")}
${valueCharts(file.measures)
  .map((chart) => figure(chart, `${chart.title}. A dashed mark is a target on the value itself.`))
  .join("\n")}
</section>
<section class="card" id="settings">
<h2>What each measure did</h2>
<div class="scroll"><table class="facts"><tbody>${settingsRows}</tbody></table></div>
</section>
${profilesHtml(file.measures)}
<section class="card" id="environment">
<h2>Machine, versions, settings</h2>
<table class="facts"><tbody>
<tr><th scope="row">Machine</th><td>${e(machineText(file))}</td></tr>
<tr><th scope="row">Versions</th><td>${e(versionsText(file))}</td></tr>
${Object.entries(file.settings)
  .map(([key, value]) => `<tr><th scope="row">${e(key)}</th><td>${e(String(value))}</td></tr>`)
  .join("\n")}
</tbody></table>
</section>
<footer>cdc-es-lab bench · one self-contained file: no scripts, fonts or images are loaded.</footer>
</main>
</body>
</html>
`;
}
