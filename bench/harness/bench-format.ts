import { formatBytes, formatNumber } from "../../scenarios/report/observation-format.ts";
import type { Measure } from "./benchmark.ts";
import type { BenchFile } from "./bench-file.ts";
import { targetOutcome, targetText } from "./target-check.ts";
import type { TargetOutcome } from "./target-check.ts";

/**
 * The bench's figures as text, shared by bench.md, bench.html and the terminal: one way of
 * writing each, so the three never disagree.
 */
export function valueText(value: number, unit: string): string {
  return `${formatNumber(value)} ${unit}`;
}

export function ratioText(ratio: number | null): string {
  return ratio === null ? "" : `${formatNumber(ratio)}×`;
}

export function spreadText(measure: Measure): string {
  return measure.spread === null ? "one repetition" : `${formatNumber(measure.spread.min)}..${formatNumber(measure.spread.max)} (${measure.spread.repetitions} runs)`;
}

export function measureTargetText(measure: Measure): string {
  return targetText(measure, formatNumber);
}

export const OUTCOME_MARKS: Record<TargetOutcome, string> = { met: "✓ met", missed: "✗ missed", "no target": "" };

export function outcomeText(measure: Measure): string {
  return OUTCOME_MARKS[targetOutcome(measure)];
}

/** "1 / 1": round trips and statements per operation, as the measure counted them; empty when it did not. */
export function perOperationText(measure: Measure): string {
  const { roundTripsPerOperation: roundTrips, statementsPerOperation: statements } = measure.settings;
  if (typeof roundTrips !== "number" || typeof statements !== "number") return "";
  return `${formatNumber(roundTrips)} / ${formatNumber(statements)}`;
}

/** The baseline's id and value, read from the same run. */
export function baselineText(measure: Measure, byId: ReadonlyMap<string, Measure>): string {
  if (measure.baseline === null) return "";
  const baseline = byId.get(measure.baseline);
  return baseline === undefined ? measure.baseline : `${measure.baseline} (${valueText(baseline.value, baseline.unit)})`;
}

/** The settings a measure states, minus the ones every table already shows. */
export function settingsText(measure: Measure): string {
  return Object.entries(measure.settings)
    .map(([key, value]) => `${key}: ${typeof value === "number" ? formatNumber(value) : String(value)}`)
    .join("; ");
}

/** "fsync off, synchronous_commit on": the durability every figure of the run was measured under. */
export function durabilityText(file: BenchFile): string {
  return `fsync ${String(file.settings["fsync"])}, synchronous_commit ${String(file.settings["synchronous_commit"])}, full_page_writes ${String(file.settings["full_page_writes"])}`;
}

export function machineText(file: BenchFile): string {
  return `${file.machine.cpus} × ${file.machine.cpuModel}, ${formatBytes(file.machine.memoryBytes)}, ${file.machine.os}`;
}

export function versionsText(file: BenchFile): string {
  const { versions } = file;
  return `Node ${versions.node}, PostgreSQL ${versions.postgres}, Kafka ${versions.kafka ?? "unknown"}, Debezium ${versions.debezium ?? "unknown"}, pg ${versions.pg}, kafkajs ${versions.kafkajs}`;
}

export function runText(file: BenchFile): string {
  return `${file.quick ? "quick" : "full"} suite, ${String(file.settings["repetitions"])} timed repetition(s) per measure after one warm-up${file.interrupted ? "; interrupted before the end" : ""}`;
}

/**
 * Where one operation's time went, as rows: each statement's calls and milliseconds per
 * operation and its share of the operation's time, then what no statement accounts for (the
 * client's own work, the pool, the event loop), when the measure states its time per operation.
 */
export function profileRows(measure: Measure): { statement: string; calls: string; ms: string; share: string }[] {
  if (measure.profile === undefined || measure.profile.length === 0) return [];
  const total = measure.settings["msPerOperation"];
  const share = (ms: number) => (typeof total === "number" && total > 0 ? `${formatNumber((100 * ms) / total)}%` : "");
  const rows = measure.profile.map((entry) => ({ statement: entry.statement, calls: formatNumber(entry.callsPerOperation), ms: formatNumber(entry.msPerOperation), share: share(entry.msPerOperation) }));
  if (typeof total === "number") {
    const inStatements = measure.profile.reduce((sum, entry) => sum + entry.msPerOperation, 0);
    rows.push({ statement: "(outside PostgreSQL: the client's own work, waits for a connection)", calls: "", ms: formatNumber(Math.max(0, total - inStatements)), share: share(Math.max(0, total - inStatements)) });
  }
  return rows;
}
