import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { BenchFile } from "../../bench/harness/bench-file.ts";
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
/** `bench`: the latest bench run, quoted in "What each design costs" (findLatestBench). */
export function writeReport(results: LabResults, catalog: ReportCatalog, outDir: string, bench: BenchFile | null = null): WrittenReport {
  mkdirSync(outDir, { recursive: true });
  const written = { markdown: path.join(outDir, "report.md"), html: path.join(outDir, "report.html") };
  writeWhole(written.markdown, renderMarkdown(results, catalog, bench));
  writeWhole(written.html, renderHtml(results, catalog, bench));
  return written;
}
