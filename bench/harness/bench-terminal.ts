import type { BenchFile } from "./bench-file.ts";
import { durabilityText, measureTargetText, outcomeText, ratioText, valueText } from "./bench-format.ts";

/** The run's measures as a plain table for stdout, then where the files are. */
export function renderBenchSummary(file: BenchFile, files: { json: string; markdown: string; html: string }): string {
  const header = ["measure", "value", "ratio", "target", "result"];
  const rows = file.measures.map((measure) => [measure.id, valueText(measure.value, measure.unit), ratioText(measure.ratio), measureTargetText(measure), outcomeText(measure)]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) => cells.map((text, column) => text.padEnd(widths[column] ?? 0)).join("  ").trimEnd();
  const lines = [`bench ${file.id} (${file.quick ? "quick" : "full"}; ${durabilityText(file)})`, line(header), ...rows.map(line)];
  for (const problem of file.problems) lines.push(`FAILED ${problem.benchmark}: ${problem.message}`);
  lines.push("", `results: ${files.json}`, `report:  ${files.markdown}`, `         ${files.html}`);
  return `${lines.join("\n")}\n`;
}
