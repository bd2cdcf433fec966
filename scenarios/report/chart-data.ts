import type { Curve, Distribution, Observation, ObservationName, ObservationUnit, ScenarioResult } from "../model/observations.ts";
import type { SubjectId } from "../model/subjects.ts";
import { figure } from "../kit/figures.ts";
import { formatObservation } from "./observation-format.ts";
import type { Cell } from "./verdicts.ts";

/**
 * What a chart plots, per subject, before any drawing: the number behind a bar, the percentiles
 * behind a glyph, the points behind a line. The HTML draws it; the Markdown writes it out.
 */
export interface ChartEntry<V> {
  subject: SubjectId;
  /** The plotted value, or null when this subject has none (failed, n/a, or not recorded). */
  value: V | null;
  /** The figure written beside the mark, or why there is no mark. */
  text: string;
  cell: Cell;
}
export type ChartBar = ChartEntry<number>;

interface ChartBase {
  label: string;
  observation: string;
  unit: ObservationUnit;
}

/** A number per subject: horizontal bars. */
export interface BarChart extends ChartBase {
  kind: "bars";
  bars: ChartBar[];
}

/** A distribution per subject: p50, p95, p99 and max on one shared axis. */
export interface PercentileChart extends ChartBase {
  kind: "percentiles";
  rows: ChartEntry<Distribution>[];
}

/** A curve per subject: one line each, on shared x and y axes. */
export interface LineChart extends ChartBase {
  kind: "lines";
  xLabel: string;
  xUnit: ObservationUnit;
  series: ChartEntry<Curve>[];
}

export type Chart = BarChart | PercentileChart | LineChart;

interface Column {
  subject: SubjectId;
  cell: Cell;
  observations: Record<string, Observation>;
}

/** Why a subject has no mark: what the run said about it, never a zero. */
function missing<V>(column: Column, reason: string | null): ChartEntry<V> {
  const { subject, cell } = column;
  if (cell.symbol === "failed") return { subject, value: null, text: `${cell.mark} failed: not measured`, cell };
  if (cell.symbol === "n/a") return { subject, value: null, text: `${cell.mark} n/a: cannot be asked`, cell };
  return { subject, value: null, text: `${cell.mark} ${reason ?? "not measured"}`, cell };
}

/**
 * The value a subject recorded under a declared name, read through the kit's one reader; a
 * value of another shape or another unit than the name declares (an older results file) is no
 * value, never a wrong number.
 */
function recorded<N extends ObservationName>(column: Column, name: N) {
  if (column.cell.symbol === "failed" || column.cell.symbol === "n/a") return null;
  const stored = column.observations[name.name];
  if (stored === undefined || stored.unit !== name.unit) return null;
  return { value: figure(column, name), stored };
}

function columnsOf(result: ScenarioResult, subjects: SubjectId[], cells: Cell[]): Column[] {
  return subjects.map((subject, index) => ({
    subject,
    cell: cells[index] as Cell,
    observations: result.outcomes.find((outcome) => outcome.subject === subject)?.observations ?? {},
  }));
}

export function barChart(columns: Column[], name: ObservationName<"number"> | ObservationName<"boolean">, label: string): BarChart {
  const bars = columns.map((column): ChartBar => {
    const found = recorded(column, name);
    if (found === null || found.value === null) return missing(column, null);
    const value = typeof found.value === "boolean" ? (found.value ? 1 : 0) : found.value;
    return { subject: column.subject, value, text: formatObservation(found.stored), cell: column.cell };
  });
  return { kind: "bars", label, observation: name.name, unit: name.unit, bars };
}

export function percentileChart(columns: Column[], name: ObservationName<"distribution">, label: string): PercentileChart {
  const rows = columns.map((column): ChartEntry<Distribution> => {
    const found = recorded(column, name);
    if (found === null || found.value === null) return missing(column, null);
    if (found.value.count === 0) return missing(column, "no samples");
    return { subject: column.subject, value: found.value, text: formatObservation(found.stored), cell: column.cell };
  });
  return { kind: "percentiles", label, observation: name.name, unit: name.unit, rows };
}

/** Curves share the x axis of the first one drawn; a curve over another x cannot share it and says so. */
export function lineChart(columns: Column[], name: ObservationName<"curve">, label: string): LineChart {
  const curves = columns.map((column) => ({ column, curve: recorded(column, name)?.value ?? null }));
  const first = curves.find((entry) => entry.curve !== null && entry.curve.points.length > 0)?.curve ?? null;
  const xLabel = first?.xLabel ?? "";
  const xUnit = first?.xUnit ?? "count";
  const series = curves.map(({ column, curve }): ChartEntry<Curve> => {
    if (curve === null) return missing(column, null);
    if (curve.points.length === 0) return missing(column, "no points");
    if (curve.xLabel !== xLabel || curve.xUnit !== xUnit) return missing(column, `plotted against ${curve.xLabel} (${curve.xUnit}), not ${xLabel}`);
    const stored = column.observations[name.name] as Observation;
    return { subject: column.subject, value: curve, text: formatObservation(stored), cell: column.cell };
  });
  return { kind: "lines", label, observation: name.name, unit: name.unit, xLabel, xUnit, series };
}

/** The chart of a scenario's headline, in the form its shape asks for; none for a text headline. */
export function headlineChart(result: ScenarioResult, headline: { observation: ObservationName; label: string }, subjects: SubjectId[], cells: Cell[]): Chart | null {
  const columns = columnsOf(result, subjects, cells);
  const name = headline.observation;
  switch (name.shape) {
    case "number":
      return barChart(columns, name as ObservationName<"number">, headline.label);
    case "boolean":
      return barChart(columns, name as ObservationName<"boolean">, headline.label);
    case "distribution":
      return percentileChart(columns, name as ObservationName<"distribution">, headline.label);
    case "curve":
      return lineChart(columns, name as ObservationName<"curve">, headline.label);
    case "text":
      return null;
    default: {
      const unknown: never = name.shape;
      throw new Error(`unknown observation shape ${String(unknown)}`);
    }
  }
}

/** A line chart of any curve a scenario recorded, named after its observation (its table in Markdown, its chart in HTML). */
export function curveChart(result: ScenarioResult, observation: string, unit: ObservationUnit, subjects: SubjectId[], cells: Cell[]): LineChart {
  return lineChart(columnsOf(result, subjects, cells), { name: observation, unit, shape: "curve", varies: null }, observation);
}
