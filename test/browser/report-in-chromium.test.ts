import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeReport } from "../../scenarios/report/write-report.ts";
import { everySubjectResults, fakeCatalog, hostileResults, sampleResults, shapedCatalog, shapedResults } from "../unit/report/report-fixture.ts";

/**
 * The HTML report in a real browser: Debian's Chromium driven by playwright-core (no browser
 * download). It checks what a unit test of strings cannot: the page lays out, the charts draw,
 * nothing is fetched, nothing logs an error, and hostile text stays text.
 */
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../test-artifacts");
const TIMEOUT_MS = 60_000;

interface LoadedPage {
  page: Page;
  consoleErrors: string[];
  pageErrors: string[];
  /** Every request except the report itself: a self-contained report makes none. */
  otherRequests: string[];
  dialogs: string[];
}

let browser: Browser;
let workDir: string;

async function open(file: string): Promise<LoadedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const url = pathToFileURL(file).href;
  const loaded: LoadedPage = { page, consoleErrors: [], pageErrors: [], otherRequests: [], dialogs: [] };
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") loaded.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => loaded.pageErrors.push(error.message));
  page.on("request", (request) => {
    if (request.url() !== url) loaded.otherRequests.push(request.url());
  });
  page.on("dialog", (dialog) => {
    loaded.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(url, { waitUntil: "load" });
  return loaded;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  workDir = mkdtempSync(path.join(tmpdir(), "cdc-es-lab-report-"));
  mkdirSync(ARTIFACTS, { recursive: true });
}, TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

describe("the HTML report in Chromium", () => {
  let report: LoadedPage;

  beforeAll(async () => {
    const written = writeReport(sampleResults(), fakeCatalog, path.join(workDir, "sample"));
    report = await open(written.html);
  }, TIMEOUT_MS);

  it(
    "renders the matrix, legend, versions and caveats",
    async () => {
      const { page } = report;
      expect(await page.title()).toBe("cdc-es-lab report: run 2025-05-02T10-12-00Z-7f3a, 2025-05-02");
      expect(await page.locator("table.matrix tbody tr").count()).toBe(5);
      expect(await page.locator("table.matrix thead tr.subjects th").count()).toBe(1 + 7);
      expect(await page.locator("table.matrix thead tr.designs th").allTextContents()).toEqual(["Event-sourced journal", "CRUD tables", "CRUD tables + Debezium CDC"]);
      await expect(page.locator("#trade-offs .design-tradeoffs").count()).resolves.toBe(3);
      expect(await page.locator("table.matrix td.cell-failed").count()).toBe(1);
      expect(await page.locator(".legend li").count()).toBe(6);
      await expect(page.getByRole("heading", { name: "Versions tested" }).isVisible()).resolves.toBe(true);
      expect(await page.locator("#caveats li").count()).toBeGreaterThanOrEqual(7);
    },
    TIMEOUT_MS,
  );

  it(
    "draws one chart per judged scenario, one bar per subject, and no bar for what was not measured",
    async () => {
      const { page } = report;
      const charts = page.locator("svg.chart");
      expect(await charts.count()).toBe(3);
      expect(await charts.nth(0).locator("g.bar").count()).toBe(6);
      expect(await charts.nth(1).locator("g.bar").count()).toBe(3);
      expect(await charts.nth(2).locator("g.bar").count()).toBe(4);

      const missing = charts.nth(0).locator("g.bar-missing");
      expect(await missing.evaluateAll((bars) => bars.map((bar) => [bar.getAttribute("data-subject"), bar.getAttribute("data-status")]))).toEqual([
        ["crud", "n/a"],
        ["cdc-late", "failed"],
      ]);
      // A failed subject is a hatched placeholder across the axis, never a zero-width bar.
      const placeholder = await missing.nth(1).locator("rect").boundingBox();
      const fullBar = await charts.nth(0).locator('g.bar[data-subject="es"] rect.bar-value').boundingBox();
      expect(placeholder?.width).toBeGreaterThan(100);
      // The placeholder's dashed outline adds a pixel; the widths are the same axis otherwise.
      expect(Math.abs((fullBar?.width ?? 0) - (placeholder?.width ?? 0))).toBeLessThanOrEqual(2);

      for (let index = 0; index < 3; index += 1) {
        const chart = charts.nth(index);
        expect(await chart.getAttribute("role")).toBe("img");
        const labelledBy = (await chart.getAttribute("aria-labelledby"))?.split(" ") ?? [];
        expect(labelledBy).toHaveLength(2);
        for (const id of labelledBy) expect((await page.locator(`[id="${id}"]`).textContent())?.length).toBeGreaterThan(0);
        const box = await chart.boundingBox();
        expect(box?.width).toBeGreaterThan(300);
        expect(box?.height).toBeGreaterThan(80);
      }
    },
    TIMEOUT_MS,
  );

  it(
    "loads nothing but itself, logs no error, and fits the window's width",
    async () => {
      const { page } = report;
      expect(report.otherRequests).toEqual([]);
      expect(report.consoleErrors).toEqual([]);
      expect(report.pageErrors).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      // Seven subjects fit a laptop's width: the matrix, the point of the report, needs no scrolling.
      const matrixOverflow = await page.locator("table.matrix").evaluate((table) => table.scrollWidth - (table.parentElement?.clientWidth ?? 0));
      expect(matrixOverflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(ARTIFACTS, "report.png"), fullPage: true });
      expect(existsSync(path.join(ARTIFACTS, "report.png"))).toBe(true);
    },
    TIMEOUT_MS,
  );
});

describe("the HTML report of distributions and curves in Chromium", () => {
  let report: LoadedPage;

  beforeAll(async () => {
    const written = writeReport(shapedResults(), shapedCatalog, path.join(workDir, "shapes"));
    report = await open(written.html);
  }, TIMEOUT_MS);

  it(
    "draws a distribution headline as p50, p95, p99 and max on one axis, in that order, for each measured subject",
    async () => {
      const chart = report.page.locator("svg.chart-percentiles");
      expect(await chart.count()).toBe(1);
      expect(await chart.locator("g.distribution").count()).toBe(6);
      const measured = chart.locator("g.distribution-measured");
      expect(await measured.count()).toBe(4);
      for (let index = 0; index < 4; index += 1) {
        const row = measured.nth(index);
        const box = async (selector: string) => {
          const found = await row.locator(selector).boundingBox();
          if (found === null) throw new Error(`${selector} is not drawn`);
          return found;
        };
        const p50 = await box("circle.p50");
        const p95 = await box("rect.p50-p95");
        const p99 = await box("path.p99");
        const max = await box("line.max");
        const centre = (found: { x: number; width: number }) => found.x + found.width / 2;
        expect(centre(p50)).toBeLessThan(p95.x + p95.width);
        expect(p95.x + p95.width).toBeLessThan(centre(p99));
        expect(centre(p99)).toBeLessThan(centre(max));
      }
      expect(await chart.locator("text.axis-title").textContent()).toBe("Commit to read model (ms, log scale)");
      const box = await chart.boundingBox();
      expect(box?.width).toBeGreaterThan(300);
    },
    TIMEOUT_MS,
  );

  it(
    "draws a curve headline as one visible line per subject, with both axes titled and every subject in the legend",
    async () => {
      const chart = report.page.locator("svg.chart-lines").first();
      const lines = chart.locator("path.series-line");
      expect(await lines.count()).toBe(4);
      const lengths = await lines.evaluateAll((paths) => paths.map((line) => (line as SVGPathElement).getTotalLength()));
      for (const length of lengths) expect(length).toBeGreaterThan(50);
      expect(await chart.locator("text.x-title").textContent()).toBe("changes per cart (count, log scale)");
      expect(await chart.locator("text.y-title").textContent()).toBe("↑ Load time (ms, log scale)");
      expect(await chart.locator("g.legend-entry").count()).toBe(5);
      // Every line stays inside the plot: no point is drawn outside the chart.
      const chartBox = await chart.boundingBox();
      for (const point of await chart.locator("g.point").all()) {
        const pointBox = await point.boundingBox();
        expect(pointBox && chartBox && pointBox.x >= chartBox.x && pointBox.x + pointBox.width <= chartBox.x + chartBox.width).toBe(true);
      }
      expect(await report.page.locator("svg.chart-lines").count()).toBe(2);
    },
    TIMEOUT_MS,
  );

  it(
    "loads nothing but itself, logs no error, and fits the window's width",
    async () => {
      const { page } = report;
      expect(report.otherRequests).toEqual([]);
      expect(report.consoleErrors).toEqual([]);
      expect(report.pageErrors).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(ARTIFACTS, "report-shapes.png"), fullPage: true });
      expect(existsSync(path.join(ARTIFACTS, "report-shapes.png"))).toBe(true);
    },
    TIMEOUT_MS,
  );
});

describe("the HTML report of all thirteen subjects in Chromium", () => {
  it(
    "keeps the matrix within a laptop's width, every subject's column and label on the page",
    async () => {
      const written = writeReport(everySubjectResults(), fakeCatalog, path.join(workDir, "every"));
      const { page, consoleErrors } = await open(written.html);
      expect(await page.locator("table.matrix thead tr.subjects th").count()).toBe(1 + 13);
      const matrixOverflow = await page.locator("table.matrix").evaluate((table) => table.scrollWidth - (table.parentElement?.clientWidth ?? 0));
      expect(matrixOverflow).toBeLessThanOrEqual(0);
      // No header spills into its neighbour: each label fits the column it heads.
      const spills = await page.locator("table.matrix thead tr.subjects th").evaluateAll((heads) => heads.filter((head) => head.scrollWidth > head.clientWidth + 1).map((head) => head.textContent));
      expect(spills).toEqual([]);
      // The chart's labels stay inside the chart: the longest label is wrapped, not cut off at the left.
      const chart = page.locator("svg.chart").first();
      const chartBox = await chart.boundingBox();
      for (const label of await chart.locator("text.subject-label").all()) {
        const labelBox = await label.boundingBox();
        expect(labelBox && chartBox && labelBox.x >= chartBox.x).toBe(true);
      }
      expect(consoleErrors).toEqual([]);
    },
    TIMEOUT_MS,
  );
});

describe("the HTML report of hostile results in Chromium", () => {
  it(
    "shows markup from results.json as text and runs none of it",
    async () => {
      const { results, catalog } = hostileResults();
      const written = writeReport(results, catalog, path.join(workDir, "hostile"));
      const hostile = await open(written.html);
      const { page } = hostile;
      await page.locator("table.matrix").hover();
      expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
      expect(hostile.dialogs).toEqual([]);
      expect(hostile.otherRequests).toEqual([]);
      expect(await page.locator("script, img, iframe, object, embed").count()).toBe(0);
      const handlers = await page.evaluate(() => [...document.querySelectorAll("*")].flatMap((element) => element.getAttributeNames().filter((name) => name.startsWith("on"))));
      expect(handlers).toEqual([]);
      expect(await page.locator("table.matrix .claim").first().textContent()).toContain(`<script>window.__pwned = "claim"</script>`);
      expect(hostile.consoleErrors).toEqual([]);
    },
    TIMEOUT_MS,
  );
});
