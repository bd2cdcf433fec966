import { axisFor, axisTitle, positionOn, tickLabel } from "./chart-axis.ts";
import type { Axis } from "./chart-axis.ts";
import type { BarChart, ChartBar } from "./chart-data.ts";
import { CHART_WIDTH, VERDICT_COLOURS, hatchPattern, openChart, subjectLabelSvg } from "./chart-svg.ts";
import { escapeHtml } from "./html-escape.ts";
import { subjectLabel } from "./verdicts.ts";

const LABEL_WIDTH = 230;
const VALUE_WIDTH = 150;
const PLOT_WIDTH = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH;
const TOP = 10;
const ROW = 30;
const BAR = 18;
const AXIS_SPACE = 50;

function missingReason(bar: ChartBar): string {
  return bar.cell.symbol === "failed" ? "failed" : bar.cell.symbol === "n/a" ? "n/a" : "not measured";
}

function barMarkup(bar: ChartBar, row: number, axis: Axis, patternId: string): string {
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
  const width = positionOn(axis, bar.value) * PLOT_WIDTH;
  const valueText = `${bar.cell.mark} ${bar.text}`;
  return [
    `<g class="bar bar-measured" ${subjectAttribute} data-status="${escapeHtml(bar.cell.symbol)}">`,
    `<rect class="bar-value" x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR}" rx="2" fill="${VERDICT_COLOURS[bar.cell.symbol]}"><title>${label}: ${escapeHtml(valueText)}</title></rect>`,
    `<text x="${(LABEL_WIDTH + width + 6).toFixed(1)}" y="${textY}" class="value-label">${escapeHtml(valueText)}</text>`,
    "</g>",
  ].join("");
}

/** One horizontal bar per subject: long subject labels read on the left instead of slanting under the axis. */
export function renderBarChart(chart: BarChart, scenarioId: string, chartId: string): string {
  // Bars always start at zero on a linear axis: a bar's length on a log axis would mislead.
  const axis = axisFor(
    chart.bars.flatMap((bar) => (bar.value === null ? [] : [bar.value])),
    chart.unit,
    false,
  );
  const plotBottom = TOP + chart.bars.length * ROW;
  const height = plotBottom + AXIS_SPACE;
  const patternId = `chart-${chartId}-hatch`;
  const title = axisTitle(chart.label, chart.unit, axis);
  const scale = (value: number) => LABEL_WIDTH + positionOn(axis, value) * PLOT_WIDTH;
  const description = chart.bars.map((bar) => `${subjectLabel(bar.subject)}: ${bar.value === null ? bar.text : `${bar.text} (${bar.cell.symbol})`}`).join("; ");

  const parts: string[] = [openChart(chartId, "bars", height, `${scenarioId}: ${title} per subject`, description), hatchPattern(patternId)];
  for (const tick of axis.ticks) {
    const x = scale(tick).toFixed(1);
    parts.push(`<line class="grid" x1="${x}" y1="${TOP}" x2="${x}" y2="${plotBottom}" stroke="#e2e8f0"/>`);
    parts.push(`<text class="tick-label" x="${x}" y="${plotBottom + 16}" text-anchor="middle">${escapeHtml(tickLabel(tick, chart.unit))}</text>`);
  }
  parts.push(`<line class="axis" x1="${LABEL_WIDTH}" y1="${plotBottom}" x2="${LABEL_WIDTH + PLOT_WIDTH}" y2="${plotBottom}" stroke="#4a5568"/>`);
  parts.push(`<line class="axis" x1="${LABEL_WIDTH}" y1="${TOP}" x2="${LABEL_WIDTH}" y2="${plotBottom}" stroke="#4a5568"/>`);
  chart.bars.forEach((bar, row) => {
    const y = TOP + row * ROW + ROW / 2 + 4;
    parts.push(subjectLabelSvg(subjectLabel(bar.subject), LABEL_WIDTH - 8, y));
    parts.push(barMarkup(bar, row, axis, patternId));
  });
  parts.push(`<text class="axis-title" x="${LABEL_WIDTH + PLOT_WIDTH / 2}" y="${height - 8}" text-anchor="middle">${escapeHtml(title)}</text>`);
  parts.push("</svg>");
  return parts.join("\n");
}
