import type { ObservationUnit } from "../model/observations.ts";
import { escapeHtml } from "./html-escape.ts";
import { formatBytes, formatNumber } from "./observation-format.ts";
import type { Chart, ChartBar } from "./report-content.ts";
import { subjectLabel } from "./verdicts.ts";
import type { CellSymbol } from "./verdicts.ts";

const WIDTH = 760;
const LABEL_WIDTH = 230;
const VALUE_WIDTH = 150;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
const TOP = 10;
const ROW = 30;
const BAR = 18;
const AXIS_SPACE = 50;

/** Bar colours follow the verdict, and each value label repeats the legend mark: colour is never the only cue. */
const BAR_COLOURS: Record<CellSymbol, string> = {
  full: "#2f855a",
  partial: "#d69e2e",
  none: "#c53030",
  "n/a": "#718096",
  failed: "#718096",
  "not measured": "#a0aec0",
};

const UNIT_NAMES: Record<ObservationUnit, string> = {
  percent: "%",
  ms: "ms",
  count: "count",
  bytes: "bytes",
  ratio: "ratio",
  boolean: "1 = yes",
  id: "id",
};

function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

/** Percentages keep a fixed 0–100 axis, so two charts of accuracy compare at a glance. */
function axisOf(chart: Chart): { max: number; ticks: number[] } {
  const values = chart.bars.flatMap((bar) => (bar.value === null ? [] : [bar.value]));
  const largest = Math.max(0, ...values);
  if (chart.unit === "percent" && largest <= 100) return { max: 100, ticks: [0, 25, 50, 75, 100] };
  if (chart.unit === "boolean") return { max: 1, ticks: [0, 1] };
  const step = largest === 0 ? 1 : niceStep(largest / 4);
  const max = Math.max(step, Math.ceil(largest / step) * step);
  const ticks: number[] = [];
  for (let tick = 0; tick <= max + step / 2; tick += step) ticks.push(Number(tick.toPrecision(12)));
  return { max, ticks };
}

function tickLabel(value: number, unit: ObservationUnit): string {
  if (unit === "percent") return `${formatNumber(value)}%`;
  if (unit === "bytes") return formatBytes(value);
  return formatNumber(value);
}

function missingReason(bar: ChartBar): string {
  return bar.cell.symbol === "failed" ? "failed" : bar.cell.symbol === "n/a" ? "n/a" : "not measured";
}

function barMarkup(bar: ChartBar, row: number, max: number, patternId: string): string {
  const y = TOP + row * ROW + (ROW - BAR) / 2;
  const textY = y + BAR / 2 + 4;
  const label = escapeHtml(subjectLabel(bar.subject));
  const subjectAttribute = `data-subject="${escapeHtml(bar.subject)}"`;
  if (bar.value === null) {
    // Not a zero: a hatched placeholder the width of the axis says "no figure here".
    return [
      `<g class="bar bar-missing" ${subjectAttribute} data-status="${missingReason(bar)}">`,
      `<rect x="${LABEL_WIDTH}" y="${y}" width="${PLOT_WIDTH}" height="${BAR}" fill="url(#${patternId})" stroke="#a0aec0" stroke-dasharray="4 3"><title>${label}: ${escapeHtml(bar.text)}</title></rect>`,
      `<text x="${LABEL_WIDTH + 8}" y="${textY}" class="missing-label">${escapeHtml(bar.text)}</text>`,
      "</g>",
    ].join("");
  }
  const width = Math.max(0, Math.min(PLOT_WIDTH, (bar.value / max) * PLOT_WIDTH));
  const valueText = `${bar.cell.mark} ${bar.text}`;
  return [
    `<g class="bar bar-measured" ${subjectAttribute} data-status="${escapeHtml(bar.cell.symbol)}">`,
    `<rect class="bar-value" x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR}" rx="2" fill="${BAR_COLOURS[bar.cell.symbol]}"><title>${label}: ${escapeHtml(valueText)}</title></rect>`,
    `<text x="${(LABEL_WIDTH + width + 6).toFixed(1)}" y="${textY}" class="value-label">${escapeHtml(valueText)}</text>`,
    "</g>",
  ].join("");
}

/** One horizontal bar per subject: long subject labels read on the left instead of slanting under the axis. */
export function renderChartSvg(chart: Chart, scenarioId: string, chartIndex: number): string {
  const { max, ticks } = axisOf(chart);
  const plotBottom = TOP + chart.bars.length * ROW;
  const height = plotBottom + AXIS_SPACE;
  const titleId = `chart-${chartIndex}-title`;
  const descId = `chart-${chartIndex}-desc`;
  const patternId = `chart-${chartIndex}-hatch`;
  const axisTitle = `${chart.label} (${UNIT_NAMES[chart.unit]})`;
  const scale = (value: number) => LABEL_WIDTH + (value / max) * PLOT_WIDTH;
  const description = chart.bars.map((bar) => `${subjectLabel(bar.subject)}: ${bar.value === null ? bar.text : `${bar.text} (${bar.cell.symbol})`}`).join("; ");

  const parts: string[] = [
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="${titleId} ${descId}">`,
    `<title id="${titleId}">${escapeHtml(`${scenarioId}: ${axisTitle} per subject`)}</title>`,
    `<desc id="${descId}">${escapeHtml(description)}</desc>`,
    `<defs><pattern id="${patternId}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#f7fafc"/><line x1="0" y1="0" x2="0" y2="8" stroke="#cbd5e0" stroke-width="3"/></pattern></defs>`,
  ];
  for (const tick of ticks) {
    const x = scale(tick).toFixed(1);
    parts.push(`<line class="grid" x1="${x}" y1="${TOP}" x2="${x}" y2="${plotBottom}" stroke="#e2e8f0"/>`);
    parts.push(`<text class="tick-label" x="${x}" y="${plotBottom + 16}" text-anchor="middle">${escapeHtml(tickLabel(tick, chart.unit))}</text>`);
  }
  parts.push(`<line class="axis" x1="${LABEL_WIDTH}" y1="${plotBottom}" x2="${LABEL_WIDTH + PLOT_WIDTH}" y2="${plotBottom}" stroke="#4a5568"/>`);
  parts.push(`<line class="axis" x1="${LABEL_WIDTH}" y1="${TOP}" x2="${LABEL_WIDTH}" y2="${plotBottom}" stroke="#4a5568"/>`);
  chart.bars.forEach((bar, row) => {
    const y = TOP + row * ROW + ROW / 2 + 4;
    parts.push(`<text class="subject-label" x="${LABEL_WIDTH - 8}" y="${y}" text-anchor="end">${escapeHtml(subjectLabel(bar.subject))}</text>`);
    parts.push(barMarkup(bar, row, max, patternId));
  });
  parts.push(`<text class="axis-title" x="${LABEL_WIDTH + PLOT_WIDTH / 2}" y="${height - 8}" text-anchor="middle">${escapeHtml(axisTitle)}</text>`);
  parts.push("</svg>");
  return parts.join("\n");
}
