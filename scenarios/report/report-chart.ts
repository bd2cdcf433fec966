import { renderBarChart } from "./chart-bars.ts";
import type { Chart } from "./chart-data.ts";
import { renderLineChart } from "./chart-lines.ts";
import { renderPercentileChart } from "./chart-percentiles.ts";

/** A chart as inline SVG, in the form its observation's shape asks for: bars, percentile glyphs or lines. */
export function renderChartSvg(chart: Chart, scenarioId: string, chartId: string): string {
  switch (chart.kind) {
    case "bars":
      return renderBarChart(chart, scenarioId, chartId);
    case "percentiles":
      return renderPercentileChart(chart, scenarioId, chartId);
    case "lines":
      return renderLineChart(chart, scenarioId, chartId);
    default: {
      const unknown: never = chart;
      throw new Error(`unknown chart ${JSON.stringify(unknown)}`);
    }
  }
}
