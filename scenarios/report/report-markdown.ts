import type { BenchFile } from "../../bench/harness/bench-file.ts";
import { NO_BENCH } from "./design-costs.ts";
import type { ScalarValue } from "../model/observations.ts";
import type { LabResults } from "../results/results-file.ts";
import type { Chart } from "./chart-data.ts";
import type { CurveTable } from "./curve-table.ts";
import { formatDuration, formatScalar } from "./observation-format.ts";
import { printable } from "./printable-text.ts";
import { buildReportContent } from "./report-content.ts";
import type { ReportContent, ScenarioSection } from "./report-content.ts";
import type { DesignTradeOffs, TradeOffLine } from "./trade-off-summary.ts";
import { cellText, subjectLabel } from "./verdicts.ts";
import type { ReportCatalog } from "./verdicts.ts";

/**
 * Text from results.json placed in running Markdown. Markdown passes raw HTML through, and a
 * `|` ends a table cell, so both are escaped; so is emphasis, which would reshape a name.
 */
function text(value: string): string {
  return printable(value)
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\\`*_[\]|#]/g, (char) => `\\${char}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** A name (scenario id, observation) as a code span; the only escape a table needs inside one is `|`. */
function code(value: string): string {
  const oneLine = printable(value).replace(/\s+/g, " ").trim().replace(/\|/g, "\\|");
  const longestRun = Math.max(0, ...[...oneLine.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = "`".repeat(longestRun + 1);
  const pad = oneLine.startsWith("`") || oneLine.endsWith("`") ? " " : "";
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

/** A fenced block longer than any backtick run inside, so a log line cannot close it early. */
function block(raw: string): string {
  const value = printable(raw);
  const longestRun = Math.max(0, ...[...value.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return `${fence}text\n${value.replace(/\n+$/, "")}\n${fence}`;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function evidenceValue(value: ScalarValue): string {
  return text(formatScalar(value));
}

/** What the chart of report.html shows, written out: Markdown has no pictures. */
function chartText(chart: Chart): string {
  const heading = `**${text(chart.label)}** (the chart in report.html)`;
  switch (chart.kind) {
    case "bars":
      return `${heading}: ${chart.bars.map((bar) => `${text(subjectLabel(bar.subject))} ${text(bar.text)}`).join("; ")}.`;
    case "percentiles":
      return [`${heading}, p50 · p95 · p99 · max per subject:`, "", ...chart.rows.map((row) => `- ${text(subjectLabel(row.subject))}: ${text(row.value === null ? row.text : `${row.cell.mark} ${row.text}`)}`)].join("\n");
    case "lines":
      return `${heading}: one line per subject, its points in the table of ${code(chart.observation)} under *Curves* below.`;
    default: {
      const unknown: never = chart;
      throw new Error(`unknown chart ${JSON.stringify(unknown)}`);
    }
  }
}

function curveText(curve: CurveTable): string {
  const heading = `${code(curve.observation)} (${curve.unit}) by ${text(curve.xLabel)} (${curve.xUnit}):`;
  if (curve.subjects.length === 0) return `${heading} no subject recorded a point.`;
  return [heading, "", table([`${text(curve.xLabel)} (${curve.xUnit})`, ...curve.subjects.map((subject) => text(subjectLabel(subject)))], curve.rows.map((row) => [row.x, ...row.values.map((value) => (value === null ? "" : text(value)))]))].join("\n");
}

function tradeOffLine(line: TradeOffLine): string {
  const entries = line.entries.map((entry) => `${text(subjectLabel(entry.subject))} ${text(entry.text)}`);
  return `  - ${code(line.scenario)}: ${entries.join("; ")}`;
}

/** The top of the report: each design's partial, none and n/a cells with their figures, and its full ones. */
function tradeOffsText(designs: DesignTradeOffs[]): string {
  const out: string[] = [
    "## Trade-offs",
    "",
    "Read off the verdicts below, design by design: where a subject of the design paid (◐ partial, ○ none, — n/a, with the judge's figure) and where it answered fully (●). A list, not a score: no scenario is weighed against another.",
  ];
  if (designs.length === 0) out.push("", "No subject was measured.");
  for (const design of designs) {
    const subjects = design.subjects.map((subject) => `${text(subjectLabel(subject))} (${code(subject)})`);
    out.push("", `### ${text(design.name)}`, "", `Subjects: ${subjects.join(", ")}.`, "");
    out.push(design.paid.length === 0 ? "- **Paid:** no cell of this design is partial, none or n/a." : ["- **Paid:**", ...design.paid.map(tradeOffLine)].join("\n"));
    out.push(design.full.length === 0 ? "- **Answered fully:** no cell of this design is full." : ["- **Answered fully:**", ...design.full.map(tradeOffLine)].join("\n"));
    if (design.noVerdict.length > 0) out.push(["- **No verdict** (failed, or not judged):", ...design.noVerdict.map(tradeOffLine)].join("\n"));
  }
  return out.join("\n");
}

function renderSection(section: ScenarioSection): string {
  const parts: string[] = [`### ${code(section.id)}`, "", `**Claim:** ${text(section.claim)}`, ""];
  parts.push(`Started ${text(section.startedAt)}, took ${formatDuration(section.durationMs)}.`);
  if (!section.known) parts.push("", "_This catalog has no scenario of this id: its observations are shown, but no verdict is given._");
  parts.push(
    "",
    table(
      ["Subject", "Verdict"],
      section.subjects.map((subject, index) => {
        const cell = section.cells[index];
        return [text(subjectLabel(subject)), cell === undefined ? "" : text(cellText(cell))];
      }),
    ),
  );
  if (section.chart !== null) parts.push("", chartText(section.chart));

  parts.push("", "#### Observations", "");
  if (section.observations.length === 0) parts.push("No observations were recorded.");
  else
    parts.push(
      table(
        ["Observation", "Unit", ...section.subjects.map((subject, index) => text(subjectLabel(subject)) + (section.cells[index]?.symbol === "failed" ? " ⚠" : ""))],
        section.observations.map((row) => [code(row.name), row.unit, ...row.values.map((value) => (value === null ? "" : text(value)))]),
      ),
    );
  if (section.cells.some((cell) => cell.symbol === "failed")) parts.push("", "Columns marked ⚠ hold what a subject recorded before it failed: raw figures, not a verdict.");

  if (section.curves.length > 0) {
    parts.push("", "#### Curves");
    for (const curve of section.curves) parts.push("", curveText(curve.table));
  }

  for (const group of section.evidence) {
    parts.push("", `#### Evidence: ${text(group.title)}`);
    for (const { subject, evidence } of group.bySubject) {
      parts.push("", `**${text(subjectLabel(subject))}**`, "");
      parts.push(
        evidence.columns.length === 0
          ? "(no columns)"
          : table(
              evidence.columns.map(text),
              evidence.rows.map((row) => evidence.columns.map((_, column) => evidenceValue(row[column] ?? null))),
            ),
      );
      if (evidence.rows.length === 0 && evidence.columns.length > 0) parts.push("", "(no rows)");
    }
  }

  if (section.problems.length > 0) {
    parts.push("", "#### Problems");
    for (const problem of section.problems) {
      const heading = `**${text(subjectLabel(problem.subject))}** (${problem.status === "failed" ? "⚠ failed" : "— unsupported"})`;
      parts.push("", problem.message.includes("\n") ? `${heading}:\n\n${block(problem.message)}` : `${heading}: ${text(problem.message)}`);
      if (problem.logTail !== null && problem.logTail.trim() !== "") parts.push("", "Last log lines:", "", block(problem.logTail));
    }
  }
  return parts.join("\n");
}

export function renderMarkdownContent(content: ReportContent): string {
  const { matrix } = content;
  const out: string[] = [`# ${text(content.title)}`, ""];
  out.push(
    `Run ${code(content.runId)} from ${text(content.startedAt)} to ${text(content.finishedAt)}. Generated from \`results.json\` in the same folder; every figure below is a measurement of this run.`,
  );

  out.push("", tradeOffsText(content.tradeOffs));

  out.push("", "## What each design costs", "");
  if (content.costs === null) out.push(NO_BENCH);
  else
    out.push(
      text(content.costs.provenance),
      "",
      table(["Measure", "Value", "Ratio to its baseline", "Target"], content.costs.rows.map((row) => [`${code(row.id)} ${text(row.label)}`, text(row.value), text(row.ratio), text(row.target)])),
    );

  out.push("", "## Results", "");
  if (matrix.rows.length === 0) out.push("No scenario ran.");
  else
    out.push(
      table(
        ["Scenario", "Claim", ...matrix.subjects.map((subject) => text(subjectLabel(subject)))],
        matrix.rows.map((row) => [
          code(row.id),
          [text(row.claim), row.notRunReason === null ? "" : "(did not run)"].filter((part) => part !== "").join(" "),
          ...matrix.subjects.map((subject) => text(cellText(row.cells[subject]))),
        ]),
      ),
    );

  out.push("", "### Legend", "", table(["Symbol", "Meaning"], content.legend.map((entry) => [entry.mark, text(entry.meaning)])));
  out.push("", "## Versions tested", "", table(["Component", "Version"], content.versions.map((fact) => [fact.label, text(fact.value)])));
  out.push("", "## Machine and run", "", table(["Setting", "Value"], content.environment.map((fact) => [fact.label, text(fact.value)])));
  out.push(
    "",
    "## Setup",
    "",
    "Each scenario asks its question of these subjects: the same cart rules, stored by each design.",
    "",
    content.setup.length === 0 ? "No subject was measured." : table(["Subject", "Design", "History and configuration"], content.setup.map((row) => [`${text(row.label)} (${code(row.subject)})`, row.design, text(row.history)])),
  );

  out.push("", "## Scenarios");
  for (const section of content.sections) out.push("", renderSection(section));

  if (content.notRun.length > 0) {
    out.push("", "## Scenarios that did not run", "");
    for (const entry of content.notRun) out.push(`- ${code(entry.id)}: ${text(entry.reason)}`);
  }

  out.push("", "## Caveats", "");
  for (const caveat of content.caveats) out.push(`- ${text(caveat)}`);
  return `${out.join("\n")}\n`;
}

export function renderMarkdown(results: LabResults, catalog: ReportCatalog, bench: BenchFile | null = null): string {
  return renderMarkdownContent(buildReportContent(results, catalog, bench));
}
