import { axisFor, positionOn, tickLabel } from "../../scenarios/report/chart-axis.ts";
import { CHART_WIDTH, VERDICT_COLOURS, openChart, subjectLabelSvg } from "../../scenarios/report/chart-svg.ts";
import { escapeHtml } from "../../scenarios/report/html-escape.ts";
import type { ObservationUnit } from "../../scenarios/model/observations.ts";
import type { TargetOutcome } from "./target-check.ts";

/**
 * One horizontal bar per measure, drawn with the main report's axis and frame (scenarios/report):
 * bars start at zero on a linear axis, a target is a dashed mark across its row, and the colour
 * of a bar (met, missed, no target) is repeated by a mark in its text.
 */
export interface BenchBar {
  label: string;
  value: number;
  /** Written beside the bar: "✓ 0.82× (≥ 0.7×)". */
  text: string;
  target: number | null;
  outcome: TargetOutcome;
}

export interface BenchBarChart {
  id: string;
  title: string;
  /** The axis's label: "ratio to baseline", "rows/s". */
  axisLabel: string;
  unit: ObservationUnit;
  bars: BenchBar[];
}

const LABEL_WIDTH = 230;
const VALUE_WIDTH = 170;
const PLOT_WIDTH = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH;
const TOP = 10;
const ROW = 30;
const BAR = 18;
const AXIS_SPACE = 50;

const OUTCOME_COLOURS: Record<TargetOutcome, string> = { met: VERDICT_COLOURS.full, missed: VERDICT_COLOURS.none, "no target": VERDICT_COLOURS["n/a"] };

export function renderBenchBarChart(chart: BenchBarChart): string {
  const axis = axisFor(
    chart.bars.flatMap((bar) => (bar.target === null ? [bar.value] : [bar.value, bar.target])),
    chart.unit,
    false,
  );
  const plotBottom = TOP + chart.bars.length * ROW;
  const height = plotBottom + AXIS_SPACE;
  // Bars are always on a linear axis from zero, so the axis's label is the unit alone.
  const title = chart.axisLabel;
  const x = (value: number) => LABEL_WIDTH + positionOn(axis, value) * PLOT_WIDTH;
  const description = chart.bars.map((bar) => `${bar.label}: ${bar.text}`).join("; ");
  const parts: string[] = [openChart(chart.id, "bars", height, chart.title, description)];
  for (const tick of axis.ticks) {
    parts.push(`<line class="grid" x1="${x(tick).toFixed(1)}" y1="${TOP}" x2="${x(tick).toFixed(1)}" y2="${plotBottom}" stroke="#e2e8f0"/>`);
    parts.push(`<text class="tick-label" x="${x(tick).toFixed(1)}" y="${plotBottom + 16}" text-anchor="middle">${escapeHtml(tickLabel(tick, chart.unit))}</text>`);
  }
  parts.push(`<line class="axis" x1="${LABEL_WIDTH}" y1="${plotBottom}" x2="${LABEL_WIDTH + PLOT_WIDTH}" y2="${plotBottom}" stroke="#4a5568"/>`);
  parts.push(`<line class="axis" x1="${LABEL_WIDTH}" y1="${TOP}" x2="${LABEL_WIDTH}" y2="${plotBottom}" stroke="#4a5568"/>`);
  chart.bars.forEach((bar, row) => {
    const y = TOP + row * ROW + (ROW - BAR) / 2;
    const end = x(bar.value);
    const label = escapeHtml(bar.label);
    parts.push(subjectLabelSvg(bar.label, LABEL_WIDTH - 8, TOP + row * ROW + ROW / 2 + 4));
    parts.push(
      `<g class="bar" data-measure="${label}" data-outcome="${escapeHtml(bar.outcome)}">`,
      `<rect class="bar-value" x="${LABEL_WIDTH}" y="${y}" width="${(end - LABEL_WIDTH).toFixed(1)}" height="${BAR}" rx="2" fill="${OUTCOME_COLOURS[bar.outcome]}"><title>${label}: ${escapeHtml(bar.text)}</title></rect>`,
      bar.target === null
        ? ""
        : `<line class="target" x1="${x(bar.target).toFixed(1)}" y1="${y - 3}" x2="${x(bar.target).toFixed(1)}" y2="${y + BAR + 3}" stroke="#1a202c" stroke-width="2" stroke-dasharray="3 2"><title>target ${escapeHtml(tickLabel(bar.target, chart.unit))}</title></line>`,
      `<text class="value-label" x="${(Math.max(end, bar.target === null ? end : x(bar.target)) + 6).toFixed(1)}" y="${y + BAR / 2 + 4}">${escapeHtml(bar.text)}</text>`,
      "</g>",
    );
  });
  parts.push(`<text class="axis-title" x="${LABEL_WIDTH + PLOT_WIDTH / 2}" y="${height - 8}" text-anchor="middle">${escapeHtml(title)}</text>`);
  parts.push("</svg>");
  return parts.join("\n");
}
