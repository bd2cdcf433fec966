import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../../scenarios/report/report-markdown.ts";
import { CONNECT_LOG_TAIL, HOSTILE, fakeCatalog, hostileResults, sampleResults } from "./report-fixture.ts";

/** Markdown with fenced blocks and code spans removed: what a renderer would read as markup. */
function outsideCode(markdown: string): string {
  return markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, "").replace(/(`+)[\s\S]*?\1/g, "");
}

function unescapedPipes(line: string): number {
  return [...line.matchAll(/(?<!\\)\|/g)].length;
}

function tableAfter(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(heading);
  if (start < 0) throw new Error(`no ${heading}`);
  const lines = markdown.slice(start).split("\n");
  const first = lines.findIndex((line) => line.startsWith("|"));
  const rest = lines.slice(first);
  const end = rest.findIndex((line) => !line.startsWith("|"));
  return end < 0 ? rest : rest.slice(0, end);
}

describe("report.md", () => {
  const markdown = renderMarkdown(sampleResults(), fakeCatalog);

  it("is titled with the run id and its date", () => {
    expect(markdown.split("\n")[0]).toBe("# cdc-es-lab report: run 2025-05-02T10-12-00Z-7f3a, 2025-05-02");
  });

  it("has the matrix: a row per scenario with its claim, a column per subject, symbol and figure in each cell", () => {
    const matrix = tableAfter(markdown, "## Results");
    expect(matrix[0]).toBe(
      "| Scenario | Claim | Event-sourced journal | CRUD tables alone | CDC, REPLICA IDENTITY FULL | CDC + intent messages | CDC, REPLICA IDENTITY DEFAULT | CDC, compacted topics | CDC, connector started late |",
    );
    expect(matrix).toHaveLength(2 + 5);
    expect(matrix[2]).toBe(
      "| `reconstruct.as-of` | What was cart X at time T (and at version N)? | ● 100% (48/48) | — The CRUD tables keep only the present… | ● 100% (48/48) | · | ◐ 62.5% (30/48) | ◐ 25% (12/48) | ⚠ Timeout: connector cdc-cdc\\_late did… |",
    );
    expect(matrix[4]).toBe("| `recover.tampered-state` | Someone edited the state tables by hand. Restore them. | ● 12/12 carts | ○ 0/12 carts | ● 12/12 carts | · | · | ◐ 9/12 carts | · |");
    expect(matrix[6]).toBe("| `lag.read-model` | (did not run) | · | · | · | · | · | · | · |");
  });

  it("has the legend with all six symbols", () => {
    const legend = tableAfter(markdown, "### Legend").slice(2);
    expect(legend.map((line) => line.split(" | ")[0])).toEqual(["| ●", "| ◐", "| ○", "| —", "| ⚠", "| ·"]);
  });

  it("lists the versions tested, the machine, the seed and the size", () => {
    expect(tableAfter(markdown, "## Versions tested").slice(2)).toEqual([
      "| PostgreSQL | 15.10 |",
      "| Kafka | 4.3.1 |",
      "| Debezium | 3.6.1.Final |",
      "| Node.js | v20.19.4 |",
      "| kafkajs | 2.2.4 |",
    ]);
    const machine = tableAfter(markdown, "## Machine and run").join("\n");
    for (const row of ["| Runtime | local |", "| CPUs | 2 × Intel(R) Xeon(R) CPU @ 2.20GHz |", "| Memory | 8 GiB |", "| Platform | linux x64 |", "| Seed | 42 |", "| Size | default |"]) {
      expect(machine).toContain(row);
    }
  });

  it("describes the setup of every subject in the run", () => {
    const setup = tableAfter(markdown, "## Setup");
    expect(setup).toHaveLength(2 + 7);
    expect(setup).toContain(
      "| CDC, connector started late (`cdc-late`) | CRUD tables + Debezium CDC | Kafka topics, REPLICA IDENTITY FULL; no intent messages; topics keep every record; no transaction metadata; default polling; connector started after the workload (initial snapshot); rows locked FOR UPDATE |",
    );
  });

  it("shows each scenario's observations side by side, the failed subject's marked as no verdict", () => {
    const observations = tableAfter(markdown.slice(markdown.indexOf("### `reconstruct.as-of`")), "#### Observations");
    expect(observations[0]).toContain("| CDC, connector started late ⚠ |");
    expect(observations).toContain("| `msPerProbe` | ms | 3.42 ms |  | 413 ms | 398 ms | 120 ms |  |");
    expect(markdown).toContain("Columns marked ⚠ hold what a subject recorded before it failed: raw figures, not a verdict.");
  });

  it("shows evidence of every subject under one heading, so the designs' trails sit together", () => {
    const section = markdown.slice(markdown.indexOf("#### Evidence: Audit trail of cart 101"));
    expect(section.indexOf("**Event-sourced journal**")).toBeGreaterThan(0);
    expect(section.indexOf("**CDC, REPLICA IDENTITY FULL**")).toBeGreaterThan(section.indexOf("**Event-sourced journal**"));
    expect(section).toContain("| 5 | DiscountApplied | bob | spring promo | 2025-05-02T10:16:07.230Z |");
    expect(section).toContain("| 0/1A2B7A0 | c cart\\_discounts | (none) | (none) | 2025-05-02T10:16:07.230Z |");
  });

  it("gives a failed subject ⚠, its whole message and its log tail in a code block, and no verdict", () => {
    const section = markdown.slice(markdown.indexOf("### `reconstruct.as-of`"), markdown.indexOf("### `audit.intent`"));
    expect(section).toContain("| CDC, connector started late | ⚠ Timeout: connector cdc-cdc\\_late did… |");
    expect(section).toContain("**CDC, connector started late** (⚠ failed): Timeout: connector cdc-cdc\\_late did not reach RUNNING within 60000 ms");
    expect(section).toContain(`\`\`\`text\n${CONNECT_LOG_TAIL}\n\`\`\``);
    expect(section).toContain("**CRUD tables alone** (— unsupported): The CRUD tables keep only the present: there is no past to ask.");
    expect(section).toContain("CDC, connector started late ⚠ failed: not measured");
  });

  it("says a scenario unknown to the catalog was not judged", () => {
    const section = markdown.slice(markdown.indexOf("### `storage.footprint`"));
    expect(section).toContain("This catalog has no scenario of this id");
    expect(section).toContain("| Event-sourced journal | · |");
    expect(section).toContain("| `bytesPerOperation` | bytes | 412 B | 2.26 KiB |");
  });

  it("ends with caveats about what the lab does not measure, and the scenarios that did not run", () => {
    const caveats = markdown.slice(markdown.indexOf("## Caveats"));
    for (const fragment of ["One machine ran everything", "sized for 2 cores", "fsync=off", "single broker", "Debezium 3.6.1.Final, Kafka 4.3.1", "to the millisecond", "kafkajs 2.2.4", "lag.read-model"]) {
      expect(caveats).toContain(fragment);
    }
    expect(markdown).toContain("## Scenarios that did not run\n\n- `lag.read-model`: the stack stopped after recover.tampered-state");
  });

  it("words the durability caveat for the runtime that ran", () => {
    const results = sampleResults();
    results.runtime = "docker";
    const caveats = renderMarkdown(results, fakeCatalog).slice(markdown.indexOf("## Caveats"));
    expect(caveats).not.toContain("fsync=off");
    expect(caveats).toContain("official image with its default durability settings");
  });

  it("changes a cell when an observation changes", () => {
    const results = sampleResults();
    const compacted = results.scenarios[2]?.outcomes.find((outcome) => outcome.subject === "cdc-compacted");
    if (compacted === undefined) throw new Error("fixture has no cdc-compacted outcome");
    compacted.observations["cartsRestored"] = { value: 12, unit: "count" };
    const row = tableAfter(renderMarkdown(results, fakeCatalog), "## Results")[4];
    expect(row).toBe("| `recover.tampered-state` | Someone edited the state tables by hand. Restore them. | ● 12/12 carts | ○ 0/12 carts | ● 12/12 carts | · | · | ● 12/12 carts | · |");
  });
});

describe("report.md of hostile results", () => {
  const { results, catalog } = hostileResults();
  const markdown = renderMarkdown(results, catalog);

  it("leaves no markup outside code for a renderer to interpret", () => {
    expect(outsideCode(markdown)).not.toMatch(/<[a-z/!]/i);
    expect(markdown).toContain("&lt;script&gt;");
  });

  it("keeps every table row's cell count: a | in a string is escaped", () => {
    for (const heading of ["## Results", "#### Observations", "#### Evidence"]) {
      const table = tableAfter(markdown, heading);
      const counts = new Set(table.map(unescapedPipes));
      expect(counts.size, heading).toBe(1);
    }
  });

  it("fences a log tail that holds a fence with a longer one", () => {
    expect(markdown).toContain(`\`\`\`\`text\n${HOSTILE.message}\n\`\`\`\nafter a fence\n\`\`\`\``);
  });

  it("drops terminal escape characters", () => {
    expect(markdown).not.toContain("\u001b");
  });
});
