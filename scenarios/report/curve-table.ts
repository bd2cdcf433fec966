import type { ObservationUnit } from "../model/observations.ts";
import type { SubjectId } from "../model/subjects.ts";
import type { LineChart } from "./chart-data.ts";
import { formatInUnit } from "./observation-format.ts";

/**
 * A curve written out: one row per x, one column per subject that drew a line. Markdown has no
 * chart, so this is how report.md shows a curve; report.html keeps it under its chart too.
 */
export interface CurveTable {
  observation: string;
  unit: ObservationUnit;
  xLabel: string;
  xUnit: ObservationUnit;
  subjects: SubjectId[];
  rows: { x: string; values: (string | null)[] }[];
}

export function curveTable(chart: LineChart): CurveTable {
  const drawn = chart.series.flatMap((entry) => (entry.value === null ? [] : [{ subject: entry.subject, points: entry.value.points }]));
  const xs = [...new Set(drawn.flatMap((entry) => entry.points.map((point) => point.x)))].sort((a, b) => a - b);
  return {
    observation: chart.observation,
    unit: chart.unit,
    xLabel: chart.xLabel,
    xUnit: chart.xUnit,
    subjects: drawn.map((entry) => entry.subject),
    rows: xs.map((x) => ({
      x: formatInUnit(x, chart.xUnit),
      values: drawn.map((entry) => {
        const point = entry.points.find((candidate) => candidate.x === x);
        return point === undefined ? null : formatInUnit(point.y, chart.unit);
      }),
    })),
  };
}
