import type { SubjectId } from "./subjects.ts";

/**
 * What a scenario returns: observations (numbers, booleans, durations, distributions, curves,
 * evidence ids), never prose. The report turns them into verdicts; results.json keeps them.
 */
export type ScalarValue = number | boolean | string | null;
export type ObservationUnit = "percent" | "ms" | "count" | "bytes" | "ratio" | "boolean" | "id";

/** Many measurements of one thing (e.g. commit -> read model latencies), summarised. */
export interface Distribution {
  kind: "distribution";
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** A figure as something grows (e.g. load time by stream length): y in the observation's unit, x in `xUnit`. */
export interface Curve {
  kind: "curve";
  xLabel: string;
  xUnit: ObservationUnit;
  points: { x: number; y: number }[];
}

export type ObservationValue = ScalarValue | Distribution | Curve;

/**
 * Why a figure may differ between two runs of the same seed: `timing` (durations, and counts that
 * depend on how concurrent work interleaves, such as lost updates of racing writers) or `size`
 * (bytes on disk). Every other figure is fixed by the seed: two runs must agree on it.
 */
export type Variation = "timing" | "size";

export interface Observation {
  value: ObservationValue;
  unit: ObservationUnit;
  /** Absent: the seed fixes this figure. */
  varies?: Variation;
}

/** What kind of value an observation holds: steps write it and judges read it through the same name. */
export type ObservationShape = "number" | "boolean" | "text" | "distribution" | "curve";

type ValueOfShape<K extends ObservationShape> = K extends "number"
  ? number | null
  : K extends "boolean"
    ? boolean | null
    : K extends "text"
      ? string | null
      : K extends "distribution"
        ? Distribution | null
        : Curve | null;

/**
 * An observation's name, unit and shape, declared once per scenario (see `observationNames`):
 * the steps record through it and the judge reads through it, so the two never disagree.
 */
export interface ObservationName<K extends ObservationShape = ObservationShape> {
  name: string;
  unit: ObservationUnit;
  shape: K;
  /** null: the seed fixes the figure. Durations vary with timing and bytes with size, whatever is declared. */
  varies: Variation | null;
  /** Phantom: the type of the value this name holds. */
  readonly _value?: ValueOfShape<K>;
}

export type ValueOf<N extends ObservationName> = N extends ObservationName<infer K> ? ValueOfShape<K> : never;

/**
 * Declares a scenario's observations: `observationNames({ lagMs: ["ms", "distribution"] })`
 * gives `{ lagMs: { name: "lagMs", unit: "ms", shape: "distribution", varies: "timing" } }`.
 * A third element marks a figure that is not a duration yet depends on timing:
 * `lostUpdates: ["count", "number", "timing"]`.
 */
export function observationNames<const T extends Record<string, readonly [ObservationUnit, ObservationShape] | readonly [ObservationUnit, ObservationShape, Variation]>>(
  declared: T,
): { [P in keyof T & string]: ObservationName<T[P][1]> } {
  return Object.fromEntries(
    Object.entries(declared).map(([name, [unit, shape, varies]]) => [name, { name, unit, shape, varies: varies ?? (unit === "ms" ? "timing" : unit === "bytes" ? "size" : null) }]),
  ) as { [P in keyof T & string]: ObservationName<T[P][1]> };
}

/** Rows that back a figure: e.g. the audit trail of one cart, as each design's log gives it. */
export interface Evidence {
  id: string;
  title: string;
  columns: string[];
  rows: ScalarValue[][];
}

export type OutcomeStatus = "measured" | "unsupported" | "failed";

export interface SubjectOutcome {
  subject: SubjectId;
  status: OutcomeStatus;
  observations: Record<string, Observation>;
  evidence: Evidence[];
  /** Why it is unsupported, or what failed (with the failing component's last log lines). */
  problem: { message: string; logTail: string | null } | null;
  durationMs: number;
}

export interface ScenarioResult {
  id: string;
  claim: string;
  startedAt: string;
  durationMs: number;
  outcomes: SubjectOutcome[];
}

/** A report cell: a symbol from the legend, a short label and the measured figure behind it. */
export interface Verdict {
  symbol: "full" | "partial" | "none" | "n/a" | "failed";
  figure: string;
}
