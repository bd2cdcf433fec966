import { SUBJECT_IDS } from "../model/subjects.ts";
import type { SubjectId } from "../model/subjects.ts";
import { escapeHtml } from "./html-escape.ts";
import type { CellSymbol } from "./verdicts.ts";

/** What every chart of the report shares: its frame, its accessible name and its colours. */
export const CHART_WIDTH = 760;

/**
 * Verdict colours, the same as the matrix's cell backgrounds (darker, to read as marks). Every
 * value label repeats the legend's mark too: colour is never the only cue.
 */
export const VERDICT_COLOURS: Record<CellSymbol, string> = {
  full: "#2f855a",
  partial: "#d69e2e",
  none: "#c53030",
  "n/a": "#718096",
  failed: "#718096",
  "not measured": "#a0aec0",
};

/**
 * One colour and one marker per subject, the same in every line chart of a report, so a line is
 * followed across charts. Thirteen subjects need more than colour: the marker shape differs
 * between neighbours, and a naive subject's line is dashed.
 */
const SUBJECT_COLOURS = ["#1f4e9c", "#3c7dd9", "#6a9fdb", "#0b7285", "#b7410e", "#e8590c", "#2b8a3e", "#5c940d", "#862e9c", "#c2255c", "#495057", "#a61e4d", "#5f3dc4"];
export type MarkerShape = "circle" | "square" | "triangle" | "diamond" | "cross";
const MARKERS: readonly MarkerShape[] = ["circle", "square", "triangle", "diamond", "cross"];

export function subjectColour(subject: SubjectId): string {
  return SUBJECT_COLOURS[SUBJECT_IDS.indexOf(subject) % SUBJECT_COLOURS.length] as string;
}

export function subjectMarker(subject: SubjectId): MarkerShape {
  return MARKERS[SUBJECT_IDS.indexOf(subject) % MARKERS.length] as MarkerShape;
}

/** A marker centred on (x, y), about `size` across. */
export function markerPath(shape: MarkerShape, x: number, y: number, size: number, colour: string, extra = ""): string {
  const r = size / 2;
  const f = (value: number) => value.toFixed(1);
  switch (shape) {
    case "circle":
      return `<circle cx="${f(x)}" cy="${f(y)}" r="${f(r)}" fill="${colour}"${extra}/>`;
    case "square":
      return `<rect x="${f(x - r)}" y="${f(y - r)}" width="${f(size)}" height="${f(size)}" fill="${colour}"${extra}/>`;
    case "triangle":
      return `<path d="M${f(x)} ${f(y - r - 1)} L${f(x + r + 1)} ${f(y + r)} L${f(x - r - 1)} ${f(y + r)} Z" fill="${colour}"${extra}/>`;
    case "diamond":
      return `<path d="M${f(x)} ${f(y - r - 1)} L${f(x + r + 1)} ${f(y)} L${f(x)} ${f(y + r + 1)} L${f(x - r - 1)} ${f(y)} Z" fill="${colour}"${extra}/>`;
    case "cross":
      return `<path d="M${f(x - r)} ${f(y - r)} L${f(x + r)} ${f(y + r)} M${f(x + r)} ${f(y - r)} L${f(x - r)} ${f(y + r)}" stroke="${colour}" stroke-width="2.5" fill="none"${extra}/>`;
    default: {
      const unknown: never = shape;
      return String(unknown);
    }
  }
}

/** The hatch that fills a placeholder row: "no figure here", never a zero. */
export function hatchPattern(id: string): string {
  return `<defs><pattern id="${id}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#f7fafc"/><line x1="0" y1="0" x2="0" y2="8" stroke="#cbd5e0" stroke-width="3"/></pattern></defs>`;
}

/** The opening of a chart: an image with a title and a text description a screen reader reads out. */
export function openChart(chartId: string, kind: string, height: number, title: string, description: string): string {
  const titleId = `chart-${chartId}-title`;
  const descId = `chart-${chartId}-desc`;
  return [
    `<svg class="chart chart-${kind}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CHART_WIDTH} ${height}" width="${CHART_WIDTH}" height="${height}" role="img" aria-labelledby="${titleId} ${descId}">`,
    `<title id="${titleId}">${escapeHtml(title)}</title>`,
    `<desc id="${descId}">${escapeHtml(description)}</desc>`,
  ].join("\n");
}

/** Characters of a subject label that fit the label column of a chart at its font size. */
export const LABEL_CHARS = 34;

/**
 * A subject label as one or two lines that fit the label column: "CDC tuned (transaction
 * metadata, intent, 10 ms poll)" would otherwise run off the chart's left edge.
 */
export function labelLines(label: string, maxChars = LABEL_CHARS): string[] {
  if (label.length <= maxChars) return [label];
  const words = label.split(" ");
  let first = "";
  while (words.length > 0 && `${first} ${words[0]}`.trim().length <= maxChars) first = `${first} ${words.shift()}`.trim();
  const rest = words.join(" ");
  const second = rest.length <= maxChars ? rest : `${rest.slice(0, maxChars - 1).trimEnd()}…`;
  return first === "" ? [`${label.slice(0, maxChars - 1)}…`] : [first, second];
}

/** A right-aligned subject label centred on `y`, on one or two lines. */
export function subjectLabelSvg(label: string, x: number, y: number): string {
  const lines = labelLines(label);
  if (lines.length === 1) return `<text class="subject-label" x="${x}" y="${y}" text-anchor="end">${escapeHtml(label)}<title>${escapeHtml(label)}</title></text>`;
  const spans = lines.map((line, index) => `<tspan x="${x}" dy="${index === 0 ? -6 : 13}">${escapeHtml(line)}</tspan>`).join("");
  return `<text class="subject-label" x="${x}" y="${y}" text-anchor="end"><title>${escapeHtml(label)}</title>${spans}</text>`;
}
