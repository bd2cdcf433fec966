import type { Measure } from "./benchmark.ts";
import type { BenchFile } from "./bench-file.ts";
import {
  baselineText,
  durabilityText,
  machineText,
  measureTargetText,
  outcomeText,
  perOperationText,
  profileRows,
  ratioText,
  runText,
  settingsText,
  spreadText,
  valueText,
  versionsText,
} from "./bench-format.ts";

/** A pipe inside a cell would split it. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function renderBenchMarkdown(file: BenchFile): string {
  const byId = new Map(file.measures.map((measure) => [measure.id, measure]));
  const lines: string[] = [
    `# Bench ${file.id}`,
    "",
    `From ${file.startedAt} to ${file.finishedAt}: ${runText(file)}.`,
    `Every figure was measured under **${durabilityText(file)}**${file.durable ? " (--durable)" : ""}.`,
    "",
    "| Measure | Value (median) | Spread | Baseline | Ratio | Target | Result | Round trips / statements per op |",
    "|---|---|---|---|---|---|---|---|",
    ...file.measures.map((measure) => measureRow(measure, byId)),
    "",
    "Ratio: the value divided by its baseline's, measured in the same run under the same settings. A target is compared with the ratio when there is a baseline, with the value otherwise; \"higher\" measures meet it at or above, \"lower\" ones at or below. Round trips and statements are counted over the warm-up (every node-postgres query call), not typed. See docs/benchmarks.md.",
    "",
  ];
  if (file.problems.length > 0) {
    lines.push("## Benchmarks that failed", "", ...file.problems.map((problem) => `- \`${problem.benchmark}\`: ${cell(problem.message)}`), "");
  }
  lines.push("## What each measure did", "", ...file.measures.map((measure) => `- \`${measure.id}\`: ${cell(settingsText(measure))}`), "");
  const profiled = file.measures.filter((measure) => profileRows(measure).length > 0);
  if (profiled.length > 0) {
    lines.push(
      "## Where the time goes",
      "",
      "Per operation, over the warm-up: every statement text the operation sent, how often, and how long it waited for its result (the wait in the connection's queue included). With several writers the waits overlap, so shares can add up to more than 100%.",
      "",
    );
    for (const measure of profiled) {
      lines.push(`### \`${measure.id}\``, "", "| Statement | Calls per op | ms per op | Share |", "|---|---|---|---|");
      for (const row of profileRows(measure)) lines.push(`| \`${cell(row.statement)}\` | ${row.calls} | ${row.ms} | ${row.share} |`);
      lines.push("");
    }
  }
  lines.push(
    "## Machine, versions, settings",
    "",
    `- Machine: ${machineText(file)}`,
    `- Versions: ${versionsText(file)}`,
    `- Settings: ${Object.entries(file.settings)
      .map(([key, value]) => `${key} ${String(value)}`)
      .join(", ")}`,
    "",
  );
  return lines.join("\n");
}

function measureRow(measure: Measure, byId: ReadonlyMap<string, Measure>): string {
  return `| \`${measure.id}\` ${cell(measure.label)} | ${cell(valueText(measure.value, measure.unit))} | ${cell(spreadText(measure))} | ${cell(baselineText(measure, byId))} | ${ratioText(measure.ratio)} | ${cell(measureTargetText(measure))} | ${outcomeText(measure)} | ${perOperationText(measure)} |`;
}
