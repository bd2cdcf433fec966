import type { LabResults } from "../results/results-file.ts";
import { printable as withoutControls } from "./printable-text.ts";
import { LEGEND, buildMatrix, cellText, shorten, subjectLabel } from "./verdicts.ts";
import type { ReportCatalog } from "./verdicts.ts";

const CELL_CHARS = 26;
const GAP = "  ";

/** One line, no escape sequences: a message printed raw could restyle or clear the terminal. */
function printable(value: string): string {
  return withoutControls(value, " ").replace(/\s+/g, " ");
}

/** Width in terminal columns: the legend marks are one column each, so counting code points suffices. */
function width(value: string): number {
  return [...value].length;
}

function pad(value: string, columns: number): string {
  return value + " ".repeat(Math.max(0, columns - width(value)));
}

/**
 * The matrix as plain text, for the end of `run`: subject ids as column heads (labels are too
 * long for a terminal), the subjects' labels and the legend below.
 */
export function renderMatrix(results: LabResults, catalog: ReportCatalog): string {
  const matrix = buildMatrix(results, catalog);
  if (matrix.rows.length === 0) return "No scenario ran.\n";
  const header = ["scenario", ...matrix.subjects];
  const rows = matrix.rows.map((row) => [printable(row.id), ...matrix.subjects.map((subject) => shorten(printable(cellText(row.cells[subject])), CELL_CHARS))]);
  const widths = header.map((title, column) => Math.max(width(title), ...rows.map((row) => width(row[column] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((value, column) => (column === cells.length - 1 ? value : pad(value, widths[column] ?? 0)))
      .join(GAP)
      .trimEnd();

  const out = [line(header), line(widths.map((columns) => "-".repeat(columns))), ...rows.map(line)];
  const notRun = matrix.rows.filter((row) => row.notRunReason !== null);
  if (notRun.length > 0) {
    out.push("");
    for (const row of notRun) out.push(`did not run: ${printable(row.id)}: ${printable(row.notRunReason ?? "")}`);
  }
  out.push("");
  for (const subject of matrix.subjects) out.push(`${pad(subject, Math.max(...matrix.subjects.map(width)))}  ${subjectLabel(subject)}`);
  out.push("");
  for (const entry of LEGEND) out.push(`${entry.mark}  ${entry.meaning}`);
  return `${out.join("\n")}\n`;
}
