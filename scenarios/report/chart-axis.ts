import type { ObservationUnit } from "../model/observations.ts";
import { formatBytes, formatNumber } from "./observation-format.ts";

/**
 * Where a value sits along a chart's axis. Linear from zero by default; logarithmic when the
 * values span two decades or more and the chart allows it (latencies whose p99 is a hundred
 * times their p50, load times from 100 to 10,000 changes), or the small values would be a
 * pixel wide. The chart says which in its axis title.
 */
export interface Axis {
  scale: "linear" | "log";
  min: number;
  max: number;
  ticks: number[];
  /** True when some value was at or below a log axis's start (a 0 ms lag) and is drawn there. */
  clamped: boolean;
}

/** Two decades: below that a linear axis still shows the small values, above it they vanish. */
const LOG_SPREAD = 100;

/** 1, 2 or 5 times a power of ten: the steps a reader adds up without thinking. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

/** Bytes step in their own unit (1 KiB, 2 KiB…), so the ticks read as round figures once formatted. */
function niceStepIn(unit: ObservationUnit, largest: number): number {
  const rough = largest / 4;
  if (unit !== "bytes" || largest < 1024) return niceStep(rough);
  // The unit the largest value is written in (KiB for 2,650 B), and a step that is round in it.
  const binary = 1024 ** Math.floor(Math.log(largest) / Math.log(1024));
  return niceStep(rough / binary) * binary;
}

/** Percentages keep a fixed 0–100 axis, so two charts of accuracy compare at a glance. */
function linearAxis(values: number[], unit: ObservationUnit): Axis {
  const largest = Math.max(0, ...values);
  if (unit === "percent" && largest <= 100) return { scale: "linear", min: 0, max: 100, ticks: [0, 25, 50, 75, 100], clamped: false };
  if (unit === "boolean") return { scale: "linear", min: 0, max: 1, ticks: [0, 1], clamped: false };
  const step = largest === 0 ? 1 : niceStepIn(unit, largest);
  const max = Math.max(step, Math.ceil(largest / step) * step);
  const ticks: number[] = [];
  for (let tick = 0; tick <= max + step / 2; tick += step) ticks.push(Number(tick.toPrecision(12)));
  return { scale: "linear", min: 0, max, ticks, clamped: false };
}

/**
 * The candidate ticks of a log axis: 1, 10 and 100 of each unit for bytes (1 KiB, 10 KiB, 100 KiB,
 * 1 MiB: a decade within 2.4%, and every label round), powers of ten otherwise.
 */
function logCandidates(unit: ObservationUnit, smallest: number, largest: number): number[] {
  const candidates: number[] = [];
  if (unit === "bytes") {
    for (let power = 0; power <= 6; power += 1) for (const times of [1, 10, 100]) candidates.push(times * 1024 ** power);
  } else {
    for (let exponent = Math.floor(Math.log10(smallest)) - 1; exponent <= Math.ceil(Math.log10(largest)) + 1; exponent += 1) candidates.push(Number((10 ** exponent).toPrecision(12)));
  }
  return candidates.sort((a, b) => a - b);
}

function logAxis(values: number[], unit: ObservationUnit, smallestPositive: number, largest: number): Axis {
  const candidates = logCandidates(unit, smallestPositive, largest);
  const min = [...candidates].reverse().find((candidate) => candidate <= smallestPositive) ?? smallestPositive;
  const max = candidates.find((candidate) => candidate >= largest && candidate > min) ?? largest;
  const decades = candidates.filter((candidate) => candidate >= min && candidate <= max);
  const ticks: number[] = [];
  for (const [index, tick] of decades.entries()) {
    ticks.push(tick);
    // Few decades leave room for 2× and 5× ticks, which make a value readable off the axis.
    if (decades.length <= 3 && index < decades.length - 1) ticks.push(2 * tick, 5 * tick);
  }
  return { scale: "log", min, max, ticks, clamped: values.some((value) => value < min) };
}

/** The axis for these values; `allowLog` for charts whose marks are points, never for bars (a log bar's length lies). */
export function axisFor(values: number[], unit: ObservationUnit, allowLog: boolean): Axis {
  const finite = values.filter((value) => Number.isFinite(value));
  const positive = finite.filter((value) => value > 0);
  const largest = Math.max(0, ...finite);
  const smallestPositive = Math.min(...positive);
  const canLog = allowLog && positive.length > 0 && finite.every((value) => value >= 0) && unit !== "percent" && unit !== "boolean";
  return canLog && largest / smallestPositive >= LOG_SPREAD ? logAxis(finite, unit, smallestPositive, largest) : linearAxis(finite, unit);
}

/** A value's position along the axis, 0 at its start and 1 at its end; outside values sit on the ends. */
export function positionOn(axis: Axis, value: number): number {
  const fraction = axis.scale === "log" ? (value <= axis.min ? 0 : Math.log10(value / axis.min) / Math.log10(axis.max / axis.min)) : (value - axis.min) / (axis.max - axis.min);
  return Math.max(0, Math.min(1, fraction));
}

const UNIT_NAMES: Record<ObservationUnit, string> = {
  percent: "%",
  ms: "ms",
  count: "count",
  bytes: "bytes",
  ratio: "ratio",
  boolean: "1 = yes",
  id: "id",
};

/** "Load time (ms, log scale)": the unit, and the scale whenever it is not the plain linear one. */
export function axisTitle(label: string, unit: ObservationUnit, axis: Axis): string {
  const notes = [UNIT_NAMES[unit]];
  if (axis.scale === "log") notes.push(axis.clamped ? "log scale; values at or below the first tick drawn on it" : "log scale");
  return `${label} (${notes.join(", ")})`;
}

export function tickLabel(value: number, unit: ObservationUnit): string {
  if (unit === "percent") return `${formatNumber(value)}%`;
  if (unit === "bytes") return formatBytes(value);
  return formatNumber(value);
}
