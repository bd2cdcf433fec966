import type { Evidence, ObservationUnit, ScenarioResult } from "../model/observations.ts";
import { SUBJECTS } from "../model/subjects.ts";
import type { SubjectId } from "../model/subjects.ts";
import type { LabResults } from "../results/results-file.ts";
import { isCurve } from "../kit/figures.ts";
import type { BenchFile } from "../../bench/harness/bench-file.ts";
import { caveats } from "./caveats.ts";
import { curveChart, headlineChart } from "./chart-data.ts";
import type { Chart, LineChart } from "./chart-data.ts";
import { curveTable } from "./curve-table.ts";
import { designCosts } from "./design-costs.ts";
import type { DesignCosts } from "./design-costs.ts";
import type { CurveTable } from "./curve-table.ts";
import { formatBytes, formatObservation } from "./observation-format.ts";
import { DESIGN_NAMES, setupOf } from "./subject-setup.ts";
import { tradeOffSummary } from "./trade-off-summary.ts";
import type { DesignTradeOffs } from "./trade-off-summary.ts";
import { LEGEND, buildMatrix, cellFor, findScenario } from "./verdicts.ts";
import type { Cell, LegendEntry, Matrix, ReportCatalog } from "./verdicts.ts";

/**
 * Everything the report says, as plain (unescaped) text, built once so the Markdown and the
 * HTML report cannot drift apart: each renderer only lays this out and escapes it.
 */
export interface ReportContent {
  title: string;
  runId: string;
  startedAt: string;
  finishedAt: string;
  /** Where each design paid and where it answered fully, from the matrix's cells. */
  tradeOffs: DesignTradeOffs[];
  /** The latest bench run's figures, quoted; null when no bench ran in this checkout. */
  costs: DesignCosts | null;
  matrix: Matrix;
  legend: readonly LegendEntry[];
  versions: Fact[];
  environment: Fact[];
  setup: SetupRow[];
  sections: ScenarioSection[];
  notRun: { id: string; reason: string }[];
  caveats: string[];
}

export interface Fact {
  label: string;
  value: string;
}

export interface SetupRow {
  subject: SubjectId;
  label: string;
  design: string;
  history: string;
}

export interface ScenarioSection {
  id: string;
  claim: string;
  /** False when the catalog that renders the report has no scenario of this id. */
  known: boolean;
  startedAt: string;
  durationMs: number;
  /** The subjects this scenario asked, in the matrix's column order. */
  subjects: SubjectId[];
  cells: Cell[];
  observations: ObservationRow[];
  evidence: EvidenceGroup[];
  problems: Problem[];
  chart: Chart | null;
  /** Every observation that holds a curve, in the order the observations table lists them. */
  curves: CurveObservation[];
}

export interface ObservationRow {
  name: string;
  unit: ObservationUnit;
  /** One per subject of the section, in its order; null where that subject did not record it. */
  values: (string | null)[];
}

export interface EvidenceGroup {
  id: string;
  title: string;
  bySubject: { subject: SubjectId; evidence: Evidence }[];
}

export interface Problem {
  subject: SubjectId;
  status: "failed" | "unsupported";
  message: string;
  logTail: string | null;
}

/** A curve observation: its line chart (report.html) and its table (report.md, and under the chart). */
export interface CurveObservation {
  chart: LineChart;
  table: CurveTable;
}

function sectionOf(result: ScenarioResult, catalog: ReportCatalog, columns: SubjectId[]): ScenarioSection {
  const scenario = findScenario(catalog, result.id);
  const subjects = columns.filter((subject) => result.outcomes.some((outcome) => outcome.subject === subject));
  const outcomeOf = (subject: SubjectId) => result.outcomes.find((outcome) => outcome.subject === subject);
  const cells = subjects.map((subject) => cellFor(scenario, outcomeOf(subject)));

  const observations: ObservationRow[] = [];
  for (const subject of subjects) {
    for (const [name, observation] of Object.entries(outcomeOf(subject)?.observations ?? {})) {
      if (observations.some((row) => row.name === name && row.unit === observation.unit)) continue;
      observations.push({
        name,
        unit: observation.unit,
        values: subjects.map((other) => {
          const value = outcomeOf(other)?.observations[name];
          return value !== undefined && value.unit === observation.unit ? formatObservation(value) : null;
        }),
      });
    }
  }

  const evidence: EvidenceGroup[] = [];
  for (const subject of subjects) {
    for (const item of outcomeOf(subject)?.evidence ?? []) {
      const group = evidence.find((candidate) => candidate.id === item.id);
      if (group === undefined) evidence.push({ id: item.id, title: item.title, bySubject: [{ subject, evidence: item }] });
      else group.bySubject.push({ subject, evidence: item });
    }
  }

  const problems: Problem[] = [];
  for (const subject of subjects) {
    const outcome = outcomeOf(subject);
    if (outcome === undefined || outcome.status === "measured") continue;
    problems.push({ subject, status: outcome.status, message: outcome.problem?.message ?? "(no message recorded)", logTail: outcome.problem?.logTail ?? null });
  }

  return {
    id: result.id,
    claim: result.claim,
    known: scenario !== undefined,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    subjects,
    cells,
    observations,
    evidence,
    problems,
    chart: scenario === undefined ? null : headlineChart(result, scenario.headline, subjects, cells),
    curves: observations
      .filter((row) => subjects.some((subject) => isCurve(outcomeOf(subject)?.observations[row.name]?.value)))
      .map((row) => {
        const chart = curveChart(result, row.name, row.unit, subjects, cells);
        return { chart, table: curveTable(chart) };
      }),
  };
}

export function buildReportContent(results: LabResults, catalog: ReportCatalog, bench: BenchFile | null = null): ReportContent {
  const matrix = buildMatrix(results, catalog);
  const unknown = "not reported";
  return {
    title: `cdc-es-lab report: run ${results.runId}, ${results.startedAt.slice(0, 10)}`,
    runId: results.runId,
    startedAt: results.startedAt,
    finishedAt: results.finishedAt,
    tradeOffs: tradeOffSummary(matrix),
    costs: designCosts(bench),
    matrix,
    legend: LEGEND,
    versions: [
      { label: "PostgreSQL", value: results.versions.postgres ?? unknown },
      { label: "Kafka", value: results.versions.kafka ?? unknown },
      { label: "Debezium", value: results.versions.debezium ?? unknown },
      { label: "Node.js", value: results.versions.node },
      { label: "kafkajs", value: results.versions.kafkajs },
    ],
    environment: [
      { label: "Runtime", value: results.runtime },
      { label: "CPUs", value: `${results.machine.cpus} × ${results.machine.cpuModel}` },
      { label: "Memory", value: formatBytes(results.machine.memoryBytes) },
      { label: "Platform", value: results.machine.platform },
      { label: "Seed", value: String(results.seed) },
      { label: "Size", value: results.size },
      { label: "Started", value: results.startedAt },
      { label: "Finished", value: results.finishedAt },
    ],
    setup: matrix.subjects.map((subject) => ({ subject, label: SUBJECTS[subject].label, design: DESIGN_NAMES[SUBJECTS[subject].design], history: setupOf(subject) })),
    sections: results.scenarios.map((result) => sectionOf(result, catalog, matrix.subjects)),
    notRun: results.notRun,
    caveats: [
      ...caveats(results),
      ...(results.notRun.length > 0 ? [`Not every scenario asked for ran: ${results.notRun.map((entry) => entry.id).join(", ")}; their rows read "not measured".`] : []),
    ],
  };
}
