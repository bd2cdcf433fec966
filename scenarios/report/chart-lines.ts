import type { Curve } from "../model/observations.ts";
import { axisFor, axisTitle, positionOn, tickLabel } from "./chart-axis.ts";
import type { ChartEntry, LineChart } from "./chart-data.ts";
import { CHART_WIDTH, VERDICT_COLOURS, markerPath, openChart, subjectColour, subjectMarker } from "./chart-svg.ts";
import { escapeHtml } from "./html-escape.ts";
import { formatInUnit } from "./observation-format.ts";
import { isNaive } from "./subject-setup.ts";
import { subjectLabel } from "./verdicts.ts";

const PLOT_LEFT = 96;
const PLOT_RIGHT = CHART_WIDTH - 34;
const PLOT_WIDTH = PLOT_RIGHT - PLOT_LEFT;
/** Room above the plot for the y axis's title, written across: a long label rotated would run off the chart. */
const TOP = 34;
const PLOT_HEIGHT = 240;
const PLOT_BOTTOM = TOP + PLOT_HEIGHT;
const LEGEND_TOP = PLOT_BOTTOM + 62;
const LEGEND_ROW = 21;
const LEGEND_LEFT = 20;
const LEGEND_COLUMN = 370;
/** Past this many characters a legend line would run into the next column: one column then. */
const TWO_COLUMN_CHARS = 46;

const f = (value: number) => value.toFixed(1);

function legendText(entry: ChartEntry<Curve>): string {
  return entry.value === null ? `${subjectLabel(entry.subject)}: ${entry.text}` : subjectLabel(entry.subject);
}

function legendMarkup(entries: ChartEntry<Curve>[]): { markup: string; height: number } {
  const columns = entries.every((entry) => legendText(entry).length + 2 <= TWO_COLUMN_CHARS) ? 2 : 1;
  const rows = Math.ceil(entries.length / columns);
  const parts = entries.map((entry, index) => {
    const x = LEGEND_LEFT + Math.floor(index / rows) * LEGEND_COLUMN;
    const y = LEGEND_TOP + (index % rows) * LEGEND_ROW;
    const subject = `data-subject="${escapeHtml(entry.subject)}"`;
    if (entry.value === null) {
      return `<g class="legend-entry legend-missing" ${subject}><text x="${x + 40}" y="${y + 4}" class="missing-label">${escapeHtml(legendText(entry))}</text></g>`;
    }
    const colour = subjectColour(entry.subject);
    const dash = isNaive(entry.subject) ? ` stroke-dasharray="6 4"` : "";
    return [
      `<g class="legend-entry" ${subject}>`,
      `<line x1="${x}" y1="${y}" x2="${x + 30}" y2="${y}" stroke="${colour}" stroke-width="2"${dash}/>`,
      markerPath(subjectMarker(entry.subject), x + 15, y, 8, colour),
      `<text x="${x + 40}" y="${y + 4}"><tspan class="verdict-mark" fill="${VERDICT_COLOURS[entry.cell.symbol]}">${escapeHtml(entry.cell.mark)}</tspan> ${escapeHtml(legendText(entry))}</text>`,
      "</g>",
    ].join("");
  });
  return { markup: `<g class="line-legend">${parts.join("")}</g>`, height: rows * LEGEND_ROW };
}

/**
 * One line per subject on shared axes: y in the observation's unit, x in the curve's own. Each
 * subject keeps its colour and marker in every line chart of the report, a naive subject's line
 * is dashed, and the legend repeats each subject's verdict mark from the matrix.
 */
export function renderLineChart(chart: LineChart, scenarioId: string, chartId: string): string {
  const drawn = chart.series.flatMap((entry) => (entry.value === null ? [] : [{ entry, points: [...entry.value.points].sort((a, b) => a.x - b.x) }]));
  const xAxis = axisFor(
    drawn.flatMap(({ points }) => points.map((point) => point.x)),
    chart.xUnit,
    true,
  );
  // y goes logarithmic only beside a logarithmic x: on log-log axes a power law is a straight
  // line, while a log y over a linear x would bend a steady growth per operation into a curve.
  const yAxis = axisFor(
    drawn.flatMap(({ points }) => points.map((point) => point.y)),
    chart.unit,
    xAxis.scale === "log",
  );
  const xAt = (value: number) => PLOT_LEFT + positionOn(xAxis, value) * PLOT_WIDTH;
  const yAt = (value: number) => PLOT_BOTTOM - positionOn(yAxis, value) * PLOT_HEIGHT;
  const legend = legendMarkup(chart.series);
  const height = LEGEND_TOP + legend.height + 4;
  const yTitle = axisTitle(chart.label, chart.unit, yAxis);
  const xTitle = axisTitle(chart.xLabel, chart.xUnit, xAxis);
  const description = chart.series.map((entry) => `${subjectLabel(entry.subject)}: ${entry.value === null ? entry.text : `${entry.text} (${entry.cell.symbol})`}`).join("; ");

  const parts: string[] = [openChart(chartId, "lines", height, `${scenarioId}: ${yTitle} by ${xTitle}, one line per subject`, description)];
  for (const tick of yAxis.ticks) {
    const y = f(yAt(tick));
    parts.push(`<line class="grid" x1="${PLOT_LEFT}" y1="${y}" x2="${PLOT_RIGHT}" y2="${y}" stroke="#e2e8f0"/>`);
    parts.push(`<text class="tick-label y-tick" x="${PLOT_LEFT - 6}" y="${Number(y) + 4}" text-anchor="end">${escapeHtml(tickLabel(tick, chart.unit))}</text>`);
  }
  for (const tick of xAxis.ticks) {
    const x = f(xAt(tick));
    parts.push(`<line class="grid" x1="${x}" y1="${TOP}" x2="${x}" y2="${PLOT_BOTTOM}" stroke="#edf2f7"/>`);
    parts.push(`<text class="tick-label x-tick" x="${x}" y="${PLOT_BOTTOM + 16}" text-anchor="middle">${escapeHtml(tickLabel(tick, chart.xUnit))}</text>`);
  }
  parts.push(`<line class="axis" x1="${PLOT_LEFT}" y1="${PLOT_BOTTOM}" x2="${PLOT_RIGHT}" y2="${PLOT_BOTTOM}" stroke="#4a5568"/>`);
  parts.push(`<line class="axis" x1="${PLOT_LEFT}" y1="${TOP}" x2="${PLOT_LEFT}" y2="${PLOT_BOTTOM}" stroke="#4a5568"/>`);
  for (const { entry, points } of drawn) {
    const colour = subjectColour(entry.subject);
    const label = subjectLabel(entry.subject);
    const dash = isNaive(entry.subject) ? ` stroke-dasharray="6 4"` : "";
    const path = points.map((point, index) => `${index === 0 ? "M" : "L"}${f(xAt(point.x))} ${f(yAt(point.y))}`).join(" ");
    parts.push(`<g class="series" data-subject="${escapeHtml(entry.subject)}" data-status="${escapeHtml(entry.cell.symbol)}">`);
    parts.push(`<path class="series-line" d="${path}" fill="none" stroke="${colour}" stroke-width="2"${dash}/>`);
    for (const point of points) {
      const tip = `${label}: ${formatInUnit(point.x, chart.xUnit)} → ${formatInUnit(point.y, chart.unit)}`;
      parts.push(`<g class="point">${markerPath(subjectMarker(entry.subject), xAt(point.x), yAt(point.y), 8, colour)}<title>${escapeHtml(tip)}</title></g>`);
    }
    parts.push("</g>");
  }
  parts.push(`<text class="axis-title x-title" x="${PLOT_LEFT + PLOT_WIDTH / 2}" y="${PLOT_BOTTOM + 38}" text-anchor="middle" data-scale="${xAxis.scale}">${escapeHtml(xTitle)}</text>`);
  parts.push(`<text class="axis-title y-title" x="${LEGEND_LEFT}" y="${TOP - 16}" data-scale="${yAxis.scale}">↑ ${escapeHtml(yTitle)}</text>`);
  parts.push(legend.markup);
  parts.push("</svg>");
  return parts.join("\n");
}
