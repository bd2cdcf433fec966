import type { Observation, ObservationValue } from "../model/observations.ts";

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** Integers exactly; fractions to three significant-ish digits, so 99.5 stays 99.5 and 0.0421 stays readable. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
  return String(Number(value.toFixed(digits)));
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

export function formatValue(value: ObservationValue): string {
  if (value === null) return "(none)";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return formatNumber(value);
  return value;
}

/** An observation as a reader expects it: "99.5%", "12.3 ms", "1.2 MiB", "1.8×", "yes". */
export function formatObservation(observation: Observation): string {
  const { value, unit } = observation;
  if (typeof value !== "number") return formatValue(value);
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

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${formatNumber(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${formatNumber(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}
