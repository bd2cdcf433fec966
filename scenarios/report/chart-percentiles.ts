import type { Distribution } from "../model/observations.ts";
import { axisFor, axisTitle, positionOn, tickLabel } from "./chart-axis.ts";
import type { ChartEntry, PercentileChart } from "./chart-data.ts";
import { CHART_WIDTH, VERDICT_COLOURS, hatchPattern, markerPath, openChart, subjectLabelSvg } from "./chart-svg.ts";
import { escapeHtml } from "./html-escape.ts";
import { subjectLabel } from "./verdicts.ts";

const LABEL_WIDTH = 230;
const RIGHT_PAD = 34;
const PLOT_WIDTH = CHART_WIDTH - LABEL_WIDTH - RIGHT_PAD;
const KEY_HEIGHT = 28;
const TOP = KEY_HEIGHT + 6;
/** A glyph on top, its figures written under it: four percentiles do not fit beside a bar. */
const ROW = 44;
const GLYPH_Y = 13;
const TEXT_Y = 35;
const BOX = 14;
const AXIS_SPACE = 50;
const INK = "#1a202c";

const f = (value: number) => value.toFixed(1);

/** The key of the glyph's parts, drawn with the same shapes the rows use. */
function keyMarkup(): string {
  const y = 14;
  let x = LABEL_WIDTH;
  const parts: string[] = [`<g class="percentile-key">`];
  parts.push(`<circle cx="${x + 5}" cy="${y}" r="4.5" fill="#fff" stroke="${INK}" stroke-width="2"/><text x="${x + 14}" y="${y + 4}">p50</text>`);
  x += 52;
  parts.push(`<rect x="${x}" y="${y - BOX / 2}" width="26" height="${BOX}" fill="#a0aec0" fill-opacity="0.55" stroke="#718096"/><text x="${x + 32}" y="${y + 4}">p50 to p95</text>`);
  x += 112;
  parts.push(`${markerPath("diamond", x + 5, y, 8, INK)}<text x="${x + 14}" y="${y + 4}">p99</text>`);
  x += 52;
  parts.push(`<line x1="${x}" y1="${y}" x2="${x + 22}" y2="${y}" stroke="#4a5568" stroke-width="1.5"/><line x1="${x + 22}" y1="${y - 8}" x2="${x + 22}" y2="${y + 8}" stroke="${INK}" stroke-width="2.5"/><text x="${x + 30}" y="${y + 4}">max</text>`);
  x += 70;
  parts.push(`<text x="${x}" y="${y + 4}" class="key-note">colour and mark: the verdict</text>`);
  parts.push("</g>");
  return parts.join("");
}

function missingStatus(entry: ChartEntry<Distribution>): string {
  return entry.cell.symbol === "failed" ? "failed" : entry.cell.symbol === "n/a" ? "n/a" : "not measured";
}

function rowMarkup(entry: ChartEntry<Distribution>, row: number, scale: (value: number) => number, patternId: string): string {
  const top = TOP + row * ROW;
  const cy = top + GLYPH_Y;
  const label = escapeHtml(subjectLabel(entry.subject));
  const subject = `data-subject="${escapeHtml(entry.subject)}"`;
  if (entry.value === null) {
    return [
      `<g class="distribution distribution-missing" ${subject} data-status="${missingStatus(entry)}">`,
      `<rect x="${LABEL_WIDTH}" y="${cy - BOX / 2}" width="${PLOT_WIDTH}" height="${BOX}" fill="url(#${patternId})" stroke="#a0aec0" stroke-dasharray="4 3"><title>${label}: ${escapeHtml(entry.text)}</title></rect>`,
      `<text x="${LABEL_WIDTH}" y="${top + TEXT_Y}" class="missing-label">${escapeHtml(entry.text)}</text>`,
      "</g>",
    ].join("");
  }
  const d = entry.value;
  const [x50, x95, x99, xMax] = [d.p50, d.p95, d.p99, d.max].map(scale) as [number, number, number, number];
  const colour = VERDICT_COLOURS[entry.cell.symbol];
  const valueText = `${entry.cell.mark} ${entry.text}`;
  return [
    `<g class="distribution distribution-measured" ${subject} data-status="${escapeHtml(entry.cell.symbol)}"><title>${label}: ${escapeHtml(valueText)}</title>`,
    `<line class="whisker" x1="${f(x50)}" y1="${cy}" x2="${f(xMax)}" y2="${cy}" stroke="#4a5568" stroke-width="1.5"/>`,
    `<rect class="p50-p95" x="${f(x50)}" y="${cy - BOX / 2}" width="${f(Math.max(2, x95 - x50))}" height="${BOX}" fill="${colour}" fill-opacity="0.55" stroke="${colour}"/>`,
    `<line class="max" x1="${f(xMax)}" y1="${cy - 8}" x2="${f(xMax)}" y2="${cy + 8}" stroke="${INK}" stroke-width="2.5"/>`,
    markerPath("diamond", x99, cy, 8, INK, ` class="p99" data-x="${f(x99)}"`),
    `<circle class="p50" cx="${f(x50)}" cy="${cy}" r="4.5" fill="#fff" stroke="${INK}" stroke-width="2"/>`,
    `<text x="${LABEL_WIDTH}" y="${top + TEXT_Y}" class="value-label">${escapeHtml(valueText)}</text>`,
    "</g>",
  ].join("");
}

/**
 * One row per subject: p50, p95, p99 and max of a distribution on one shared axis, so the
 * medians compare down the chart and the tails beside them. The axis turns logarithmic when
 * the values span two decades (a 3 ms p50 beside a 900 ms max), and its title says so.
 */
export function renderPercentileChart(chart: PercentileChart, scenarioId: string, chartId: string): string {
  const values = chart.rows.flatMap((row) => (row.value === null ? [] : [row.value.p50, row.value.p95, row.value.p99, row.value.max]));
  const axis = axisFor(values, chart.unit, true);
  const plotBottom = TOP + chart.rows.length * ROW;
  const height = plotBottom + AXIS_SPACE;
  const patternId = `chart-${chartId}-hatch`;
  const title = axisTitle(chart.label, chart.unit, axis);
  const scale = (value: number) => LABEL_WIDTH + positionOn(axis, value) * PLOT_WIDTH;
  const description = chart.rows.map((row) => `${subjectLabel(row.subject)}: ${row.value === null ? row.text : `${row.text} (${row.cell.symbol})`}`).join("; ");

  const parts: string[] = [
    openChart(chartId, "percentiles", height, `${scenarioId}: ${title}, p50, p95, p99 and max per subject`, description),
    hatchPattern(patternId),
    keyMarkup(),
  ];
  for (const tick of axis.ticks) {
    const x = f(scale(tick));
    parts.push(`<line class="grid" x1="${x}" y1="${TOP}" x2="${x}" y2="${plotBottom}" stroke="#e2e8f0"/>`);
    parts.push(`<text class="tick-label" x="${x}" y="${plotBottom + 16}" text-anchor="middle">${escapeHtml(tickLabel(tick, chart.unit))}</text>`);
  }
  parts.push(`<line class="axis" x1="${LABEL_WIDTH}" y1="${plotBottom}" x2="${LABEL_WIDTH + PLOT_WIDTH}" y2="${plotBottom}" stroke="#4a5568"/>`);
  parts.push(`<line class="axis" x1="${LABEL_WIDTH}" y1="${TOP}" x2="${LABEL_WIDTH}" y2="${plotBottom}" stroke="#4a5568"/>`);
  chart.rows.forEach((entry, row) => {
    parts.push(subjectLabelSvg(subjectLabel(entry.subject), LABEL_WIDTH - 8, TOP + row * ROW + GLYPH_Y + 4));
    parts.push(rowMarkup(entry, row, scale, patternId));
  });
  parts.push(`<text class="axis-title" x="${LABEL_WIDTH + PLOT_WIDTH / 2}" y="${height - 8}" text-anchor="middle" data-scale="${axis.scale}">${escapeHtml(title)}</text>`);
  parts.push("</svg>");
  return parts.join("\n");
}
