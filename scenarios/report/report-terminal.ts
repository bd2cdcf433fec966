import type { LabResults } from "../results/results-file.ts";
import { printable as withoutControls } from "./printable-text.ts";
import { LEGEND, buildMatrix, cellText, shorten, subjectLabel } from "./verdicts.ts";
import type { ReportCatalog } from "./verdicts.ts";

const CELL_CHARS = 22;
const GAP = "  ";
/** A wide terminal; `run` may pass the real width. Narrower than one block still prints one subject per block. */
export const DEFAULT_TERMINAL_COLUMNS = 120;

export interface MatrixOptions {
  /** The terminal's width in columns: subject columns that do not fit wrap into further blocks. */
  columns?: number;
}

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

/** Consecutive subject columns, at most `most` to a block, that fit beside the scenario column. */
function fill(subjectWidths: number[], scenarioWidth: number, columns: number, most: number): number[][] {
  const blocks: number[][] = [];
  let current: number[] = [];
  let used = scenarioWidth;
  subjectWidths.forEach((columnWidth, index) => {
    const needed = GAP.length + columnWidth;
    if (current.length > 0 && (used + needed > columns || current.length === most)) {
      blocks.push(current);
      current = [];
      used = scenarioWidth;
    }
    current.push(index);
    used += needed;
  });
  if (current.length > 0) blocks.push(current);
  return blocks;
}

function fits(block: number[], subjectWidths: number[], scenarioWidth: number, columns: number): boolean {
  return block.length === 1 || block.reduce((used, column) => used + GAP.length + (subjectWidths[column] ?? 0), scenarioWidth) <= columns;
}

/**
 * Blocks of subject columns that fit the width, as even as the width allows: thirteen subjects
 * in three blocks read as 5, 4, 4, not as 6, 6, 1 with one subject stranded at the end.
 */
function blocksOf(subjectWidths: number[], scenarioWidth: number, columns: number): number[][] {
  const greedy = fill(subjectWidths, scenarioWidth, columns, Infinity);
  const count = greedy.length;
  const base = Math.floor(subjectWidths.length / count);
  const even: number[][] = [];
  let next = 0;
  for (let block = 0; block < count; block += 1) {
    const size = base + (block < subjectWidths.length % count ? 1 : 0);
    even.push(Array.from({ length: size }, (_, offset) => next + offset));
    next += size;
  }
  if (even.every((block) => fits(block, subjectWidths, scenarioWidth, columns))) return even;
  // Columns of uneven widths: cap the block size, loosening the cap until the count is the greedy one.
  for (let most = Math.ceil(subjectWidths.length / count); most < subjectWidths.length; most += 1) {
    const capped = fill(subjectWidths, scenarioWidth, columns, most);
    if (capped.length === count) return capped;
  }
  return greedy;
}

/**
 * The matrix as plain text, for the end of `run`: subject ids as column heads (labels are too
 * long for a terminal), figures cut to fit, and with thirteen subjects the columns wrap into
 * blocks that each repeat the scenario column; the subjects' labels and the legend below.
 */
export function renderMatrix(results: LabResults, catalog: ReportCatalog, options: MatrixOptions = {}): string {
  const columns = options.columns ?? DEFAULT_TERMINAL_COLUMNS;
  const matrix = buildMatrix(results, catalog);
  if (matrix.rows.length === 0) return "No scenario ran.\n";
  const ids = matrix.rows.map((row) => printable(row.id));
  const cells = matrix.rows.map((row) => matrix.subjects.map((subject) => shorten(printable(cellText(row.cells[subject])), CELL_CHARS)));
  const scenarioWidth = Math.max(width("scenario"), ...ids.map(width));
  const subjectWidths = matrix.subjects.map((subject, column) => Math.max(width(subject), ...cells.map((row) => width(row[column] ?? ""))));
  const blocks = blocksOf(subjectWidths, scenarioWidth, columns);

  const line = (first: string, rest: string[], block: number[]) =>
    [pad(first, scenarioWidth), ...block.map((column, position) => (position === block.length - 1 ? (rest[column] ?? "") : pad(rest[column] ?? "", subjectWidths[column] ?? 0)))].join(GAP).trimEnd();

  const out: string[] = [];
  blocks.forEach((block, index) => {
    if (index > 0) out.push("");
    if (blocks.length > 1) {
      const first = (block[0] ?? 0) + 1;
      const last = (block[block.length - 1] ?? 0) + 1;
      out.push(`(${first === last ? `subject ${first}` : `subjects ${first}–${last}`} of ${matrix.subjects.length})`);
    }
    out.push(line("scenario", matrix.subjects, block));
    out.push(line("-".repeat(scenarioWidth), subjectWidths.map((columnWidth) => "-".repeat(columnWidth)), block));
    cells.forEach((row, rowIndex) => out.push(line(ids[rowIndex] ?? "", row, block)));
  });

  const notRun = matrix.rows.filter((row) => row.notRunReason !== null);
  if (notRun.length > 0) {
    out.push("");
    for (const row of notRun) out.push(`did not run: ${printable(row.id)}: ${printable(row.notRunReason ?? "")}`);
  }
  out.push("");
  for (const subject of matrix.subjects) out.push(`${pad(subject, Math.max(...matrix.subjects.map(width)))}  ${subjectLabel(subject)}`);
  out.push("");
  for (const entry of LEGEND) out.push(`${entry.mark}  ${entry.meaning}`);
  out.push(`…  a figure cut to fit the terminal: report.md has it whole`);
  return `${out.join("\n")}\n`;
}
