import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { renderHtml } from "../../../scenarios/report/report-html.ts";
import { renderMarkdown } from "../../../scenarios/report/report-markdown.ts";
import { writeReport } from "../../../scenarios/report/write-report.ts";
import { fakeCatalog, sampleResults } from "./report-fixture.ts";

describe("writeReport", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("writes report.md and report.html into the run's folder and returns their paths", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "report-"));
    dirs.push(dir);
    const outDir = path.join(dir, "reports", "run-1");
    const results = sampleResults();
    const written = writeReport(results, fakeCatalog, outDir);
    expect(written).toEqual({ markdown: path.join(outDir, "report.md"), html: path.join(outDir, "report.html") });
    expect(readFileSync(written.markdown, "utf8")).toBe(renderMarkdown(results, fakeCatalog));
    expect(readFileSync(written.html, "utf8")).toBe(renderHtml(results, fakeCatalog));
    expect(readdirSync(outDir).sort()).toEqual(["report.html", "report.md"]);
  });
});
