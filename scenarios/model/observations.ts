import type { SubjectId } from "./subjects.ts";

/**
 * What a scenario returns: observations (numbers, booleans, durations, evidence ids), never
 * prose. The report turns them into verdicts; results.json keeps them.
 */
export type ObservationValue = number | boolean | string | null;
export type ObservationUnit = "percent" | "ms" | "count" | "bytes" | "ratio" | "boolean" | "id";

export interface Observation {
  value: ObservationValue;
  unit: ObservationUnit;
}

/** Rows that back a figure: e.g. the audit trail of one cart, as each design's log gives it. */
export interface Evidence {
  id: string;
  title: string;
  columns: string[];
  rows: ObservationValue[][];
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
