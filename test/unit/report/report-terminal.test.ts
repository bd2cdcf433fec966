import { describe, expect, it } from "vitest";
import { renderMatrix } from "../../../scenarios/report/report-terminal.ts";
import { LEGEND } from "../../../scenarios/report/verdicts.ts";
import { SUBJECT_IDS } from "../../../scenarios/model/subjects.ts";
import { everySubjectResults, fakeCatalog, hostileResults, sampleResults, shapedCatalog, shapedResults } from "./report-fixture.ts";

/** Where each column starts on the header line, in terminal columns. */
function columnStarts(header: string): number[] {
  return [...header.matchAll(/(?:^|\s{2})(\S)/g)].map((match) => [...header.slice(0, (match.index ?? 0) + match[0].length - 1)].length);
}

describe("the terminal matrix on a terminal wide enough for every column", () => {
  const text = renderMatrix(sampleResults(), fakeCatalog, { columns: 200 });
  const lines = text.split("\n");

  it("heads its columns with the subject ids and writes one row per scenario", () => {
    expect(lines[0]).toMatch(/^scenario\s+es\s+crud\s+cdc-plain\s+cdc-intent\s+cdc-default\s+cdc-compacted\s+cdc-late$/);
    expect(lines.slice(2, 7).map((line) => line.split(/\s{2,}/)[0])).toEqual(["reconstruct.as-of", "audit.intent", "recover.tampered-state", "storage.footprint", "lag.read-model"]);
  });

  it("aligns every cell under its column head", () => {
    const starts = columnStarts(lines[0] ?? "");
    expect(starts).toHaveLength(8);
    for (const line of lines.slice(2, 7)) {
      const characters = [...line];
      for (const start of starts.slice(1)) {
        expect(characters[start - 1], `${line} @${start}`).toBe(" ");
        expect(characters[start], `${line} @${start}`).not.toBe(" ");
      }
    }
  });

  it("writes the same cells as the report", () => {
    expect(lines[2]).toMatch(/^reconstruct\.as-of\s+● 100% \(48\/48\)\s+— The CRUD tables…\s+● 100% \(48\/48\)\s+·\s+◐ 62\.5% \(30\/48\)\s+◐ 25% \(12\/48\)\s+⚠ Timeout: connector…$/);
  });

  it("names the subjects and prints the legend below", () => {
    expect(text).toContain("cdc-late       CDC, connector started late");
    for (const entry of LEGEND) expect(text).toContain(`${entry.mark}  ${entry.meaning}`);
    expect(text).toContain("did not run: lag.read-model: the stack stopped after recover.tampered-state");
  });

  it("prints no escape sequence from the results", () => {
    const { results, catalog } = hostileResults();
    const printed = renderMatrix(results, catalog);
    expect([...printed].filter((char) => char !== "\n" && (char < " " || char === "\u007f"))).toEqual([]);
  });

  it("says so when no scenario ran", () => {
    const results = sampleResults();
    results.scenarios = [];
    results.notRun = [];
    expect(renderMatrix(results, fakeCatalog)).toBe("No scenario ran.\n");
  });
});

/** The blocks of a wrapped matrix: each starts with "(subjects a–b of n)" and runs to the next blank line. */
function blocksOf(text: string): string[][] {
  const lines = text.split("\n");
  const blocks: string[][] = [];
  lines.forEach((line, index) => {
    if (!/^\(subjects? /.test(line)) return;
    const end = lines.indexOf("", index);
    blocks.push(lines.slice(index, end < 0 ? undefined : end));
  });
  return blocks;
}

describe("the terminal matrix of thirteen subjects", () => {
  const text = renderMatrix(everySubjectResults(), fakeCatalog);
  const blocks = blocksOf(text);

  it("wraps its columns into blocks that fit 120 columns, each repeating the scenario column", () => {
    expect(blocks.length).toBeGreaterThan(1);
    for (const line of text.split("\n")) expect([...line].length, line).toBeLessThanOrEqual(120);
    for (const block of blocks) {
      expect(block[1]).toMatch(/^scenario\s/);
      expect(block[3]).toMatch(/^reconstruct\.as-of\s/);
    }
  });

  it("shows every subject once, in the lab's order, and says which subjects each block holds", () => {
    const heads = blocks.flatMap((block) => (block[1] ?? "").split(/\s{2,}/).slice(1));
    expect(heads).toEqual([...SUBJECT_IDS]);
    expect(blocks[0]?.[0]).toMatch(/^\(subjects 1–\d+ of 13\)$/);
    expect(blocks[blocks.length - 1]?.[0]).toMatch(/of 13\)$/);
  });

  it("splits the blocks evenly rather than strand one subject at the end", () => {
    const sizes = blocks.map((block) => (block[1] ?? "").split(/\s{2,}/).length - 1);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it("keeps each cell's figure with its subject across the wrap", () => {
    const cells = blocks.flatMap((block) => (block[3] ?? "").split(/\s{2,}/).slice(1));
    expect(cells[0]).toBe("● 100% (48/48)");
    expect(cells[SUBJECT_IDS.indexOf("cdc-tuned")]).toBe("◐ 25% (12/48)");
  });

  it("fits a narrow terminal too, one block per subject at worst", () => {
    const narrow = renderMatrix(everySubjectResults(), fakeCatalog, { columns: 40 });
    expect(blocksOf(narrow)).toHaveLength(13);
    const tables = blocksOf(narrow).flat();
    for (const line of tables) expect([...line].length, line).toBeLessThanOrEqual(40);
  });

  it("names every subject below and explains the cut figures", () => {
    expect(text).toContain("cdc-tuned            CDC tuned (transaction metadata, intent, 10 ms poll)");
    expect(text).toContain("es-plaintext         Journal, plaintext personal data (naive)");
    expect(text).toContain("…  a figure cut to fit the terminal: report.md has it whole");
  });
});

describe("the terminal matrix of distribution and curve verdicts", () => {
  it("writes the judges' figures, cut to the cell", () => {
    const text = renderMatrix(shapedResults(), shapedCatalog, { columns: 400 });
    const lag = text.split("\n").find((line) => line.startsWith("lag.read-model"));
    expect(lag).toMatch(/^lag\.read-model\s+● p99 85 ms\s+·\s+◐ p99 510 ms\s/);
    const long = text.split("\n").find((line) => line.startsWith("snapshot.long-stream"));
    expect(long).toContain("◐ 310 ms at 10,000…");
  });
});
