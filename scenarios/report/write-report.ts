import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { LabResults } from "../results/results-file.ts";
import { renderHtml } from "./report-html.ts";
import { renderMarkdown } from "./report-markdown.ts";
import type { ReportCatalog } from "./verdicts.ts";

export interface WrittenReport {
  markdown: string;
  html: string;
}

/** Atomic, like results.json: a reader opening the report mid-write sees the old file or the new one. */
function writeWhole(file: string, text: string): void {
  const temp = `${file}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

/** Writes report.md and report.html into `outDir`, the folder that holds the run's results.json. */
export function writeReport(results: LabResults, catalog: ReportCatalog, outDir: string): WrittenReport {
  mkdirSync(outDir, { recursive: true });
  const written = { markdown: path.join(outDir, "report.md"), html: path.join(outDir, "report.html") };
  writeWhole(written.markdown, renderMarkdown(results, catalog));
  writeWhole(written.html, renderHtml(results, catalog));
  return written;
}
