import type { Design, SubjectId } from "../model/subjects.ts";
import { DESIGN_NAMES, DESIGN_ORDER, designOf } from "./subject-setup.ts";
import { cellText, shorten } from "./verdicts.ts";
import type { Cell, CellSymbol, Matrix } from "./verdicts.ts";

/**
 * Where each design paid and where it answered fully, read off the matrix's cells: a list, not a
 * score. Nothing here weighs one scenario against another or adds an opinion; every line is a
 * cell of the matrix with the judge's figure, grouped by design so a reader sees the other side
 * of the ledger at the top of the report.
 */
export interface DesignTradeOffs {
  design: Design;
  name: string;
  /** Its subjects in the matrix's order; a naive configuration says so in its label. */
  subjects: SubjectId[];
  /** Scenarios where a subject of this design was partial, none or n/a. */
  paid: TradeOffLine[];
  /** Scenarios where a subject of this design answered fully. */
  full: TradeOffLine[];
  /** Scenarios where a subject of this design has no verdict: it failed, or nothing could judge it. */
  noVerdict: TradeOffLine[];
}

export interface TradeOffLine {
  scenario: string;
  entries: TradeOffEntry[];
}

export interface TradeOffEntry {
  subject: SubjectId;
  cell: Cell;
  /** The cell as the matrix writes it, or for a cell nothing could judge, why. */
  text: string;
}

const REASON_CHARS = 60;

const PAID: readonly CellSymbol[] = ["partial", "none", "n/a"];

type Bucket = "paid" | "full" | "noVerdict";

function entryOf(subject: SubjectId, cell: Cell): TradeOffEntry {
  const text = cell.figure === "" && cell.problem !== null ? `${cell.mark} not judged: ${shorten(cell.problem, REASON_CHARS)}` : cellText(cell);
  return { subject, cell, text };
}

function bucketOf(cell: Cell): Bucket | null {
  if (PAID.includes(cell.symbol)) return "paid";
  if (cell.symbol === "full") return "full";
  if (cell.symbol === "failed") return "noVerdict";
  // A "not measured" cell with a problem is one the catalog could not judge; without one, the
  // subject was simply not asked (or the scenario did not run), which says nothing about the design.
  if (cell.symbol === "not measured" && cell.problem !== null) return "noVerdict";
  return null;
}

export function tradeOffSummary(matrix: Matrix): DesignTradeOffs[] {
  return DESIGN_ORDER.flatMap((design): DesignTradeOffs[] => {
    const subjects = matrix.subjects.filter((subject) => designOf(subject) === design);
    if (subjects.length === 0) return [];
    const lines: Record<Bucket, TradeOffLine[]> = { paid: [], full: [], noVerdict: [] };
    for (const row of matrix.rows) {
      for (const subject of subjects) {
        const cell = row.cells[subject];
        const bucket = bucketOf(cell);
        if (bucket === null) continue;
        const existing = lines[bucket].find((line) => line.scenario === row.id);
        if (existing === undefined) lines[bucket].push({ scenario: row.id, entries: [entryOf(subject, cell)] });
        else existing.entries.push(entryOf(subject, cell));
      }
    }
    return [{ design, name: DESIGN_NAMES[design], subjects, ...lines }];
  });
}
