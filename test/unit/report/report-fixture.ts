import type { Evidence, Observation, SubjectOutcome, Verdict } from "../../../scenarios/model/observations.ts";
import type { Scenario } from "../../../scenarios/model/scenario.ts";
import type { SubjectId } from "../../../scenarios/model/subjects.ts";
import { ResultsSchema } from "../../../scenarios/results/results-file.ts";
import type { LabResults } from "../../../scenarios/results/results-file.ts";

/**
 * A results file and a catalog of fake scenarios, independent of the real catalog (which grows
 * while the report is built): the report must work for any catalog, so its tests bring their own.
 */

export function measured(subject: SubjectId, observations: Record<string, Observation>, evidence: Evidence[] = []): SubjectOutcome {
  return { subject, status: "measured", observations, evidence, problem: null, durationMs: 1200 };
}

export function failed(subject: SubjectId, message: string, logTail: string | null, observations: Record<string, Observation> = {}): SubjectOutcome {
  return { subject, status: "failed", observations, evidence: [], problem: { message, logTail }, durationMs: 60_000 };
}

export function unsupported(subject: SubjectId, reason: string): SubjectOutcome {
  return { subject, status: "unsupported", observations: {}, evidence: [], problem: { message: reason, logTail: null }, durationMs: 5 };
}

const percent = (value: number): Observation => ({ value, unit: "percent" });
const count = (value: number): Observation => ({ value, unit: "count" });
const ms = (value: number): Observation => ({ value, unit: "ms" });

function fakeScenario(spec: Pick<Scenario<unknown>, "id" | "claim" | "headline" | "judge">): Scenario<unknown> {
  return { ...spec, subjects: [], init: () => undefined, steps: [] };
}

/** Full at 100%, none at 0, partial between: the shape of most of the lab's accuracy judges. */
function judgeAccuracy(outcome: SubjectOutcome): Verdict {
  const accuracy = outcome.observations["exactMatchPercent"]?.value;
  const matched = outcome.observations["probesMatched"]?.value;
  const probes = outcome.observations["probes"]?.value;
  if (typeof accuracy !== "number") throw new Error("exactMatchPercent missing");
  const figure = `${accuracy}% (${String(matched)}/${String(probes)})`;
  return { symbol: accuracy === 100 ? "full" : accuracy === 0 ? "none" : "partial", figure };
}

function judgeCoverage(outcome: SubjectOutcome): Verdict {
  const coverage = outcome.observations["intentCoveragePercent"]?.value;
  if (typeof coverage !== "number") throw new Error("intentCoveragePercent missing");
  return { symbol: coverage === 100 ? "full" : coverage === 0 ? "none" : "partial", figure: `${coverage}% of changes` };
}

function judgeRestored(outcome: SubjectOutcome): Verdict {
  const restored = outcome.observations["cartsRestored"]?.value;
  const tampered = outcome.observations["cartsTampered"]?.value;
  if (typeof restored !== "number" || typeof tampered !== "number") throw new Error("counts missing");
  return { symbol: restored === tampered ? "full" : restored === 0 ? "none" : "partial", figure: `${restored}/${tampered} carts` };
}

export const fakeCatalog: Scenario<unknown>[] = [
  fakeScenario({
    id: "reconstruct.as-of",
    claim: "What was cart X at time T (and at version N)?",
    headline: { observation: "exactMatchPercent", unit: "percent", label: "Exact-match probes" },
    judge: judgeAccuracy,
  }),
  fakeScenario({
    id: "audit.intent",
    claim: "For each change: which operation, who, why, when?",
    headline: { observation: "intentCoveragePercent", unit: "percent", label: "Changes with operation, actor and reason" },
    judge: judgeCoverage,
  }),
  fakeScenario({
    id: "recover.tampered-state",
    claim: "Someone edited the state tables by hand. Restore them.",
    headline: { observation: "cartsRestored", unit: "count", label: "Carts restored exactly" },
    judge: judgeRestored,
  }),
];

const auditColumns = ["position", "operation", "actor", "reason", "at"];

export const CONNECT_LOG_TAIL = [
  "[2025-05-02 10:14:03,112] INFO [cdc-cdc_late|task-0] Snapshot step 3 - Locking captured tables (io.debezium.relational.RelationalSnapshotChangeEventSource)",
  "[2025-05-02 10:15:03,118] ERROR [cdc-cdc_late|task-0] Producer failure (io.debezium.pipeline.ErrorHandler)",
  "org.apache.kafka.common.errors.TimeoutException: Topic cdc_cdc_late.lab_s1_cdc_late.carts not present in metadata after 60000 ms.",
].join("\n");

/** A run of three known scenarios, one the catalog does not know, and one that did not run. */
export function sampleResults(): LabResults {
  const results: LabResults = {
    schemaVersion: 1,
    runId: "2025-05-02T10-12-00Z-7f3a",
    startedAt: "2025-05-02T10:12:00.000Z",
    finishedAt: "2025-05-02T10:31:42.000Z",
    seed: 42,
    size: "default",
    runtime: "local",
    machine: { cpus: 2, memoryBytes: 8 * 1024 ** 3, platform: "linux x64", cpuModel: "Intel(R) Xeon(R) CPU @ 2.20GHz" },
    versions: { postgres: "15.10", kafka: "4.3.1", debezium: "3.6.1.Final", node: "v20.19.4", kafkajs: "2.2.4" },
    notRun: [{ id: "lag.read-model", reason: "the stack stopped after recover.tampered-state" }],
    scenarios: [
      {
        id: "reconstruct.as-of",
        claim: "What was cart X at time T (and at version N)?",
        startedAt: "2025-05-02T10:12:05.000Z",
        durationMs: 241_000,
        outcomes: [
          measured("es", { exactMatchPercent: percent(100), probesMatched: count(48), probes: count(48), msPerProbe: ms(3.42) }),
          unsupported("crud", "The CRUD tables keep only the present: there is no past to ask."),
          measured("cdc-plain", { exactMatchPercent: percent(100), probesMatched: count(48), probes: count(48), msPerProbe: ms(412.7) }),
          measured("cdc-default", { exactMatchPercent: percent(62.5), probesMatched: count(30), probes: count(48), msPerProbe: ms(398.1) }),
          measured("cdc-compacted", { exactMatchPercent: percent(25), probesMatched: count(12), probes: count(48), msPerProbe: ms(120.4) }),
          // Observations recorded before the failure must never become a verdict.
          failed("cdc-late", "Timeout: connector cdc-cdc_late did not reach RUNNING within 60000 ms", CONNECT_LOG_TAIL, {
            exactMatchPercent: percent(100),
            probesMatched: count(48),
            probes: count(48),
          }),
        ],
      },
      {
        id: "audit.intent",
        claim: "For each change: which operation, who, why, when?",
        startedAt: "2025-05-02T10:16:06.000Z",
        durationMs: 96_500,
        outcomes: [
          measured("es", { intentCoveragePercent: percent(100), changes: count(7), sqlEditSeen: { value: false, unit: "boolean" } }, [
            {
              id: "cart-101-trail",
              title: "Audit trail of cart 101",
              columns: auditColumns,
              rows: [
                [1, "ItemAdded", "alice", null, "2025-05-02T10:16:07.101Z"],
                [2, "ItemAdded", "alice", null, "2025-05-02T10:16:07.144Z"],
                [5, "DiscountApplied", "bob", "spring promo", "2025-05-02T10:16:07.230Z"],
                [7, "CheckedOut", "alice", null, "2025-05-02T10:16:07.302Z"],
              ],
            },
          ]),
          measured("cdc-plain", { intentCoveragePercent: percent(33.3), changes: count(9), sqlEditSeen: { value: true, unit: "boolean" } }, [
            {
              id: "cart-101-trail",
              title: "Audit trail of cart 101",
              columns: auditColumns,
              rows: [
                ["0/1A2B3C8", "c cart_items", null, null, "2025-05-02T10:16:07.101Z"],
                ["0/1A2B4F0", "u cart_items", null, null, "2025-05-02T10:16:07.144Z"],
                ["0/1A2B7A0", "c cart_discounts", null, null, "2025-05-02T10:16:07.230Z"],
                ["0/1A2B9D8", "u carts", null, null, "2025-05-02T10:16:07.302Z"],
              ],
            },
          ]),
          measured("cdc-intent", { intentCoveragePercent: percent(88.9), changes: count(9), sqlEditSeen: { value: true, unit: "boolean" } }),
        ],
      },
      {
        id: "recover.tampered-state",
        claim: "Someone edited the state tables by hand. Restore them.",
        startedAt: "2025-05-02T10:18:00.000Z",
        durationMs: 180_250,
        outcomes: [
          measured("es", { cartsTampered: count(12), cartsRestored: count(12), restoreMs: ms(840) }),
          measured("crud", { cartsTampered: count(12), cartsRestored: count(0), restoreMs: ms(0) }),
          measured("cdc-plain", { cartsTampered: count(12), cartsRestored: count(12), restoreMs: ms(5_210) }),
          measured("cdc-compacted", { cartsTampered: count(12), cartsRestored: count(9), restoreMs: ms(2_390) }),
        ],
      },
      {
        id: "storage.footprint",
        claim: "What does history cost?",
        startedAt: "2025-05-02T10:21:00.000Z",
        durationMs: 30_000,
        outcomes: [measured("es", { bytesPerOperation: { value: 412, unit: "bytes" } }), measured("cdc-plain", { bytesPerOperation: { value: 2_310, unit: "bytes" } })],
      },
    ],
  };
  // The fixture is a results file like any other: it must pass the same schema.
  return ResultsSchema.parse(results);
}

/** Strings a results file might carry that would be markup, a table break or a terminal escape if printed raw. */
export const HOSTILE = {
  claim: `<script>window.__pwned = "claim"</script> Does | this | break?`,
  message: `boom </pre><img src=x onerror="window.__pwned='message'"> & more`,
  cell: `<b onmouseover="window.__pwned='cell'">bold</b>`,
  column: `col"><svg onload="window.__pwned='column'">`,
  terminal: "\u001b[2J\u001b[31mred",
};

/** One scenario whose every free-text field is hostile, judged by a judge that echoes them. */
export function hostileResults(): { results: LabResults; catalog: Scenario<unknown>[] } {
  const results = sampleResults();
  results.scenarios = [
    {
      id: "reconstruct.as-of",
      claim: HOSTILE.claim,
      startedAt: "2025-05-02T10:12:05.000Z",
      durationMs: 1000,
      outcomes: [
        measured("es", { exactMatchPercent: percent(100), probesMatched: count(1), probes: count(1), [HOSTILE.cell]: { value: HOSTILE.cell, unit: "id" } }, [
          { id: "e", title: HOSTILE.cell, columns: [HOSTILE.column, "ok"], rows: [[HOSTILE.cell, HOSTILE.terminal]] },
        ]),
        failed("cdc-plain", HOSTILE.message, `${HOSTILE.message}\n\`\`\`\nafter a fence`),
      ],
    },
  ];
  results.notRun = [{ id: HOSTILE.terminal, reason: HOSTILE.claim }];
  return { results: ResultsSchema.parse(results), catalog: fakeCatalog };
}
