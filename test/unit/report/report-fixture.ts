import { figure } from "../../../scenarios/kit/figures.ts";
import { observationNames } from "../../../scenarios/model/observations.ts";
import type { Curve, Distribution, Evidence, Observation, SubjectOutcome, Verdict } from "../../../scenarios/model/observations.ts";
import type { Scenario } from "../../../scenarios/model/scenario.ts";
import { SUBJECT_IDS } from "../../../scenarios/model/subjects.ts";
import type { SubjectId } from "../../../scenarios/model/subjects.ts";
import { parseResults } from "../../../scenarios/results/results-file.ts";
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

const RECONSTRUCT = observationNames({ exactMatchPercent: ["percent", "number"] });
const AUDIT = observationNames({ intentCoveragePercent: ["percent", "number"] });
const TAMPERED = observationNames({ cartsRestored: ["count", "number"] });

export const fakeCatalog: Scenario<unknown>[] = [
  fakeScenario({
    id: "reconstruct.as-of",
    claim: "What was cart X at time T (and at version N)?",
    headline: { observation: RECONSTRUCT.exactMatchPercent, label: "Exact-match probes" },
    judge: judgeAccuracy,
  }),
  fakeScenario({
    id: "audit.intent",
    claim: "For each change: which operation, who, why, when?",
    headline: { observation: AUDIT.intentCoveragePercent, label: "Changes with operation, actor and reason" },
    judge: judgeCoverage,
  }),
  fakeScenario({
    id: "recover.tampered-state",
    claim: "Someone edited the state tables by hand. Restore them.",
    headline: { observation: TAMPERED.cartsRestored, label: "Carts restored exactly" },
    judge: judgeRestored,
  }),
];

/** The observations of the two scenarios whose headlines are a distribution and a curve. */
export const LAG = observationNames({ lagMs: ["ms", "distribution"], readYourWritesPercent: ["percent", "number"] });
export const LONG_STREAM = observationNames({ loadMs: ["ms", "curve"], rowsRead: ["count", "curve"] });

/** Full while 99% of changes show within 250 ms, partial within 2 s, none beyond. */
function judgeLag(outcome: SubjectOutcome): Verdict {
  const lag = figure(outcome, LAG.lagMs);
  if (lag === null) throw new Error("lagMs missing");
  const text = `p99 ${lag.p99} ms`;
  return { symbol: lag.p99 <= 250 ? "full" : lag.p99 <= 2000 ? "partial" : "none", figure: text };
}

/** Full while the longest stream loads within 50 ms, partial within 1 s, none beyond. */
function judgeLongStream(outcome: SubjectOutcome): Verdict {
  const load = figure(outcome, LONG_STREAM.loadMs);
  const longest = load?.points.reduce((best, point) => (point.x > best.x ? point : best));
  if (longest === undefined) throw new Error("loadMs missing");
  const text = `${longest.y} ms at ${longest.x.toLocaleString("en-US")} changes`;
  return { symbol: longest.y <= 50 ? "full" : longest.y <= 1000 ? "partial" : "none", figure: text };
}

/** The scalar catalog and two scenarios whose headlines are a distribution and a curve. */
export const shapedCatalog: Scenario<unknown>[] = [
  ...fakeCatalog,
  fakeScenario({
    id: "lag.read-model",
    claim: "How stale is each read model under load?",
    headline: { observation: LAG.lagMs, label: "Commit to read model" },
    judge: judgeLag,
  }),
  fakeScenario({
    id: "snapshot.long-stream",
    claim: "Loading a cart with 10,000 changes.",
    headline: { observation: LONG_STREAM.loadMs, label: "Load time" },
    judge: judgeLongStream,
  }),
];

export function distribution(p50: number, p95: number, p99: number, max: number, count: number): Observation {
  const value: Distribution = { kind: "distribution", count, p50, p95, p99, max };
  return { value, unit: "ms" };
}

export function curve(points: [number, number][], unit: Observation["unit"] = "ms"): Observation {
  const value: Curve = { kind: "curve", xLabel: "changes per cart", xUnit: "count", points: points.map(([x, y]) => ({ x, y })) };
  return { value, unit };
}

const auditColumns = ["position", "operation", "actor", "reason", "at"];

export const CONNECT_LOG_TAIL = [
  "[2025-05-02 10:14:03,112] INFO [cdc-cdc_late|task-0] Snapshot step 3 - Locking captured tables (io.debezium.relational.RelationalSnapshotChangeEventSource)",
  "[2025-05-02 10:15:03,118] ERROR [cdc-cdc_late|task-0] Producer failure (io.debezium.pipeline.ErrorHandler)",
  "org.apache.kafka.common.errors.TimeoutException: Topic cdc_cdc_late.lab_s1_cdc_late.carts not present in metadata after 60000 ms.",
].join("\n");

/** A run of three known scenarios, one the catalog does not know, and one that did not run. */
export function sampleResults(): LabResults {
  const results: LabResults = {
    schemaVersion: 2,
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
  return parseResults(results, "the report fixture");
}

/**
 * The sample run with two more scenarios: read-model lag as distributions (with a log-scale
 * spread: 12 ms beside 2.1 s) and load time by stream length as curves.
 */
export function shapedResults(): LabResults {
  const results = sampleResults();
  results.notRun = [];
  results.scenarios.push(
    {
      id: "lag.read-model",
      claim: "How stale is each read model under load?",
      startedAt: "2025-05-02T10:22:00.000Z",
      durationMs: 64_000,
      outcomes: [
        measured("es", { lagMs: distribution(12, 40, 85, 120, 2000), readYourWritesPercent: percent(100) }),
        measured("es-polling", { lagMs: distribution(260, 480, 510, 700, 2000), readYourWritesPercent: percent(12.5) }),
        unsupported("crud", "The CRUD tables are their own read model: there is no lag to measure."),
        failed("cdc-plain", "Timeout: read model did not catch up within 60000 ms", null),
        measured("cdc-default", { lagMs: distribution(540, 900, 1300, 2100, 2000), readYourWritesPercent: percent(0) }),
        measured("cdc-tuned", { lagMs: distribution(35, 70, 140, 400, 2000), readYourWritesPercent: percent(3) }),
      ],
    },
    {
      id: "snapshot.long-stream",
      claim: "Loading a cart with 10,000 changes.",
      startedAt: "2025-05-02T10:24:00.000Z",
      durationMs: 120_000,
      outcomes: [
        measured("es", { loadMs: curve([[100, 2.1], [1000, 3], [10_000, 4.2]]), rowsRead: curve([[100, 1], [1000, 1], [10_000, 1]], "count") }),
        measured("es-no-snapshots", { loadMs: curve([[100, 3.5], [1000, 28], [10_000, 310]]), rowsRead: curve([[100, 100], [1000, 1000], [10_000, 10_000]], "count") }),
        measured("crud", { loadMs: curve([[100, 0.8], [1000, 0.8], [10_000, 0.9]]), rowsRead: curve([[100, 3], [1000, 3], [10_000, 3]], "count") }),
        measured("cdc-plain", { loadMs: curve([[100, 40], [1000, 180], [10_000, 1500]]), rowsRead: curve([[100, 100], [1000, 1000], [10_000, 10_000]], "count") }),
        unsupported("crud-naive", "The naive CRUD handler loads the same rows as the locked one: not asked."),
      ],
    },
  );
  return parseResults(results, "the shaped report fixture");
}

/** One scenario asked of all thirteen subjects: the widest matrix the lab can produce. */
export function everySubjectResults(): LabResults {
  const results = sampleResults();
  results.notRun = [];
  results.scenarios = [
    {
      id: "reconstruct.as-of",
      claim: "What was cart X at time T (and at version N)?",
      startedAt: "2025-05-02T10:12:05.000Z",
      durationMs: 241_000,
      outcomes: SUBJECT_IDS.map((subject, index) => {
        const matched = 48 - index * 3;
        return measured(subject, { exactMatchPercent: percent(Math.round((1000 * matched) / 48) / 10), probesMatched: count(matched), probes: count(48) });
      }),
    },
  ];
  return parseResults(results, "the thirteen-subject fixture");
}

/** The sample run as a schema version 1 file would hold it: scalars only, as written before distributions and curves. */
export function v1ResultsFile(): unknown {
  return { ...JSON.parse(JSON.stringify(sampleResults())), schemaVersion: 1 };
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
  return { results: parseResults(results, "the hostile report fixture"), catalog: fakeCatalog };
}
