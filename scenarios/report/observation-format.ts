import type { Curve, Distribution, Observation, ObservationUnit, ObservationValue, ScalarValue } from "../model/observations.ts";

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];
/** A curve listed in one table cell shows at most this many points; its table and chart show them all. */
const CURVE_POINTS_INLINE = 5;

/**
 * Integers exactly, grouped by thousands (10,000 changes reads at a glance, 10000 does not);
 * fractions to three significant-ish digits, so 99.5 stays 99.5 and 0.0421 stays readable.
 */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return Math.abs(value) >= 1000 ? value.toLocaleString("en-US") : String(value);
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
  const rounded = Number(value.toFixed(digits));
  return Number.isInteger(rounded) && Math.abs(rounded) >= 1000 ? rounded.toLocaleString("en-US") : String(rounded);
}

export function formatBytes(value: number): string {
  let scaled = value;
  let unit = 0;
  while (Math.abs(scaled) >= 1024 && unit < BYTE_UNITS.length - 1) {
    scaled /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${formatNumber(value)} B` : `${formatNumber(scaled)} ${BYTE_UNITS[unit]}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${formatNumber(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${formatNumber(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

/** A scalar with no unit attached: evidence cells, text observations. */
export function formatScalar(value: ScalarValue): string {
  if (value === null) return "(none)";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return formatNumber(value);
  return value;
}

/** One number in its unit: "99.5%", "12.3 ms", "1.2 MiB", "1.8×". */
export function formatInUnit(value: number, unit: ObservationUnit): string {
  switch (unit) {
    case "percent":
      return `${formatNumber(value)}%`;
    case "ms":
      return formatDuration(value);
    case "bytes":
      return formatBytes(value);
    case "ratio":
      return `${formatNumber(value)}×`;
    case "count":
    case "boolean":
    case "id":
      return formatNumber(value);
    default: {
      const unknown: never = unit;
      return `${formatNumber(value)} ${String(unknown)}`;
    }
  }
}

/** "p50 12 ms · p95 40 ms · p99 85 ms · max 120 ms (n=2,000)": the tail is the point, so every percentile is written. */
export function formatDistribution(distribution: Distribution, unit: ObservationUnit): string {
  if (distribution.count === 0) return "no samples (n=0)";
  const at = (value: number) => formatInUnit(value, unit);
  return `p50 ${at(distribution.p50)} · p95 ${at(distribution.p95)} · p99 ${at(distribution.p99)} · max ${at(distribution.max)} (n=${formatNumber(distribution.count)})`;
}

/**
 * A curve in one line, for a table cell: "changes per cart: 100 → 3.2 ms · 1,000 → 12 ms".
 * A long curve keeps its ends (where growth shows) and says how many points it has.
 */
export function formatCurve(curve: Curve, unit: ObservationUnit): string {
  if (curve.points.length === 0) return `${curve.xLabel}: no points`;
  const sorted = [...curve.points].sort((a, b) => a.x - b.x);
  const point = (p: { x: number; y: number }) => `${formatInUnit(p.x, curve.xUnit)} → ${formatInUnit(p.y, unit)}`;
  if (sorted.length <= CURVE_POINTS_INLINE) return `${curve.xLabel}: ${sorted.map(point).join(" · ")}`;
  const head = sorted.slice(0, 2).map(point);
  const tail = sorted.slice(-2).map(point);
  return `${curve.xLabel}: ${[...head, "…", ...tail].join(" · ")} (${sorted.length} points)`;
}

/** Any observation value: the shapes a value can take, each written its own way (a bare number without its unit). */
export function formatValue(value: ObservationValue, unit: ObservationUnit): string {
  if (value === null || typeof value !== "object") return formatScalar(value);
  switch (value.kind) {
    case "distribution":
      return formatDistribution(value, unit);
    case "curve":
      return formatCurve(value, unit);
    default: {
      const unknown: never = value;
      return String(unknown);
    }
  }
}

/** An observation as a reader expects it, whatever its shape: "99.5%", "12.3 ms", "yes", "p50 12 ms · …", "x: 100 → 3 ms · …". */
export function formatObservation(observation: Observation): string {
  const { value, unit } = observation;
  if (typeof value === "number") return formatInUnit(value, unit);
  return formatValue(value, unit);
}
