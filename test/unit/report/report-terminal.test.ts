import { describe, expect, it } from "vitest";
import { renderMatrix } from "../../../scenarios/report/report-terminal.ts";
import { LEGEND } from "../../../scenarios/report/verdicts.ts";
import { fakeCatalog, hostileResults, sampleResults } from "./report-fixture.ts";

/** Where each column starts on the header line, in terminal columns. */
function columnStarts(header: string): number[] {
  return [...header.matchAll(/(?:^|\s{2})(\S)/g)].map((match) => [...header.slice(0, (match.index ?? 0) + match[0].length - 1)].length);
}

describe("the terminal matrix", () => {
  const text = renderMatrix(sampleResults(), fakeCatalog);
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
    expect(lines[2]).toMatch(/^reconstruct\.as-of\s+● 100% \(48\/48\)\s+— The CRUD tables keep…\s+● 100% \(48\/48\)\s+·\s+◐ 62\.5% \(30\/48\)\s+◐ 25% \(12\/48\)\s+⚠ Timeout: connector…$/);
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
