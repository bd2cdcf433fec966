import { loadConfig } from "../../../services/platform/config.ts";
import { LabError, isLabError } from "../../../services/platform/errors.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { waitForSlotActive } from "../../../services/runtime/replication-slot.ts";
import { byDesign, forCdc } from "../../kit/drivers/subject-driver.ts";
import type { CdcDriver, SubjectDriver } from "../../kit/drivers/subject-driver.ts";
import { markTime, waitForClock } from "../../kit/time-mark.ts";
import { settledEnds } from "../../kit/topic-cleanup.ts";
import { waitForHistoryToHold, waitForTopicsToHold } from "../../kit/topics-caught-up.ts";
import type { Curve, ObservationName } from "../../model/observations.ts";
import { SIZES } from "../../model/scenario.ts";
import type { OpenedSubject, Scenario, ScenarioStep, StepContext } from "../../model/scenario.ts";
import type { SubjectId } from "../../model/subjects.ts";
import { supersededRecords } from "./compaction-state.ts";
import { createConnectorControl } from "./connector-control.ts";
import { databaseBytes, subjectSchema } from "./footprint-places.ts";
import type { FootprintPlan, Stage } from "./footprint-plan.ts";
import { SIZE_COUNT, operationsIn, planFootprint } from "./footprint-plan.ts";
import { judgeStorageFootprint } from "./judge.ts";
import { createJvmKafkaLogDirs, totalTopicBytes } from "./kafka-log-dirs.ts";
import type { KafkaLogDirs, TopicSizes } from "./kafka-log-dirs.ts";
import { bytesPerOperation } from "./least-squares.ts";
import type { Point } from "./least-squares.ts";
import { OBS } from "./observations.ts";
import { replicationSlots, walBytesBetween, walSegmentBytes } from "./postgres-accounting.ts";
import { invalidationBlocker } from "./slot-invalidation.ts";
import { enableWalInspect, schemaWalBytes, walFlushLsn } from "./wal-attribution.ts";
import type { WalInspect } from "./wal-attribution.ts";

/**
 * storage.footprint: "What does history cost?" Every subject gets the same seeded workload in
 * three growing sizes; after each size the scenario asks PostgreSQL (relation sizes, WAL
 * positions) and the brokers (log-dir sizes) what the subject now keeps, and fits bytes per
 * operation as the slope over the three sizes. Then the CDC hazard: the subject's connector is
 * paused, then stopped, while the app keeps writing, and the WAL its slot keeps is measured.
 */

/** What one size cost a subject, as the engines account for it. */
interface SizePoint {
  operations: number;
  tableBytes: number;
  indexBytes: number;
  /** WAL between the positions around the subject's commands (every writer on the cluster). */
  clusterWalBytes: number;
  /** The subject's own WAL records (pg_walinspect); null without it. */
  ownWalBytes: number | null;
  kafkaBytes: number | null;
  places: { observation: ObservationName<"number">; bytes: number }[];
}

interface Applied {
  operations: number;
  clusterWalBytes: number;
  ownWalBytes: number | null;
}

interface FootprintState {
  plan: FootprintPlan;
  points: Map<SubjectId, SizePoint[]>;
  /** Operations and WAL applied so far, per subject (each subject writes alone, in turn). */
  applied: Map<SubjectId, Applied>;
  /** Installed once, on the first write. */
  walInspect: Promise<WalInspect> | null;
  /** CDC: where each size's records end in the topics, before the commands that close it. */
  sizeEnds: Map<SubjectId, Map<string, bigint>>;
  /** cleanup.policy of each topic the broker was asked about (a JVM start each time, so asked once per topic). */
  cleanupPolicies: Map<string, string>;
  logDirs: KafkaLogDirs;
}

/** Commands per size at the small size; the run size multiplies it. */
const COMMANDS_PER_SIZE = 150;
const CARTS = 12;
/**
 * cdc-variant.ts gives the CDC topics segment.ms = 1000: a record appended later than that after
 * a segment's first record rolls it. Half a second more covers the producer's batching.
 */
const SEGMENT_ROLL_WAIT_MS = 1_500;
const COMPACTION_TIMEOUT_MS = 90_000;
const TOMBSTONE_TIMEOUT_MS = 30_000;
/** How long a paused task is given to let go of its slot before "it keeps it" is the answer. */
const PAUSE_RELEASE_WAIT_MS = 5_000;

export const storageFootprint: Scenario<FootprintState> = {
  id: "storage.footprint",
  claim: "What does history cost? Bytes per business operation in every place each design keeps them, and the WAL a stopped CDC connector makes PostgreSQL keep",
  subjects: ["es", "crud", "cdc-plain", "cdc-compacted"],
  init: (run) => {
    // The jars and the JDK are the local runtime's; RunContext does not carry the configuration.
    const config = loadConfig();
    return {
      plan: planFootprint({ seed: run.seed, commandsPerSize: COMMANDS_PER_SIZE * SIZES[run.size], carts: CARTS * SIZES[run.size] }),
      points: new Map(),
      applied: new Map(),
      walInspect: null,
      sizeEnds: new Map(),
      cleanupPolicies: new Map(),
      logDirs: createJvmKafkaLogDirs(config, run.endpoints.kafkaBrokers),
    };
  },
  steps: [...Array.from({ length: SIZE_COUNT }, (_unused, index) => sizeSteps(index)).flat(), ...slotHazardSteps(), fitStep()],
  judge: judgeStorageFootprint,
  headline: { observation: OBS.storedBytesPerOp, label: "bytes stored per operation (tables, indexes, topics)" },
};

function sizeSteps(index: number): ScenarioStep<FootprintState>[] {
  const size = index + 1;
  return [
    {
      actor: "app",
      does: `applies size ${size}'s commands to each subject alone, WAL positions read before and after`,
      run: (context) => context.each((subject) => applyMeasured(context, subject, context.state.plan.sizes[index]?.chunk)),
    },
    {
      actor: "debezium",
      does: `streams size ${size}: waits until each CDC subject's topics hold every cart as the record does`,
      run: (context) =>
        context.each((subject) =>
          forCdc(subject.driver, async (cdc) => {
            await waitForTopicsToHold(cdc, stageOf(context, index, "chunk").views);
            // Where a delete's tombstone follows it, the size ends after the tombstone.
            const { ends } = await settledEnds(cdc, TOMBSTONE_TIMEOUT_MS);
            context.state.sizeEnds.set(subject.spec.id, ends);
          }),
        ),
    },
    {
      actor: "clock",
      does: `lets Kafka's segment.ms pass, then the shop closes size ${size} with two commands on a cart of its own (every subject)`,
      async run(context) {
        await waitForClock((await markTime()) + SEGMENT_ROLL_WAIT_MS, "Kafka's segment.ms to pass");
        await context.each((subject) => applyMeasured(context, subject, stageOf(context, index, "close")));
      },
    },
    {
      actor: "debezium",
      does: `waits until every compacted topic (cleanup.policy from the broker) keeps each key of size ${size} once`,
      async run(context) {
        const close = stageOf(context, index, "close");
        await context.each(async (subject) => {
          await waitForHistoryToHold(subject.driver, close.views);
        });
        // A topic's policy does not change: the broker is asked once, for every new topic of every CDC subject at a time.
        const { cleanupPolicies } = context.state;
        const unknown = [...context.state.sizeEnds.values()].flatMap((ends) => [...ends.keys()].map(topicOfPartition)).filter((topic) => !cleanupPolicies.has(topic));
        const asked = unknown.length === 0 ? null : await allTopicSizes(context);
        await context.each((subject) =>
          forCdc(subject.driver, async (cdc) => {
            if (asked !== null) for (const [topic, policy] of Object.entries(topicSizesOf(asked, topicsOf(cdc)).cleanupPolicies)) cleanupPolicies.set(topic, policy);
            await waitForCompaction(context, cdc);
          }),
        );
      },
    },
    {
      actor: "operator",
      does: `reads what size ${size} costs: relation sizes from PostgreSQL, log-dir sizes from the brokers`,
      async run(context) {
        // One JVM for every CDC subject's topics: starting it costs seconds on two cores.
        const kafka = await allTopicSizes(context);
        await context.each(async (subject) => {
          const database = await databaseBytes(subject.driver);
          const kafkaBytes = byDesign<number | null>(subject.driver, {
            es: () => null,
            crud: () => null,
            cdc: (cdc) => totalTopicBytes(topicSizesOf(kafka, topicsOf(cdc))),
          });
          const applied = appliedOf(context, subject.spec.id);
          const point: SizePoint = { ...applied, tableBytes: database.tableBytes, indexBytes: database.indexBytes, kafkaBytes, places: database.places };
          context.state.points.set(subject.spec.id, [...(context.state.points.get(subject.spec.id) ?? []), point]);
        });
      },
    },
  ];
}

/** The log-dir sizes of every live CDC subject's topics, from one run of the tool; its failure fails only the CDC subjects. */
async function allTopicSizes(context: StepContext<FootprintState>): Promise<TopicSizes | { failed: unknown }> {
  const topics = context.subjects().flatMap((subject) => byDesign<string[]>(subject.driver, { es: () => [], crud: () => [], cdc: (cdc) => topicsOf(cdc) }));
  if (topics.length === 0) return { partitions: [], cleanupPolicies: {} };
  return context.state.logDirs.topicSizes(topics).catch((error: unknown) => ({ failed: error }));
}

function topicSizesOf(sizes: TopicSizes | { failed: unknown }, topics: readonly string[]): TopicSizes {
  if ("failed" in sizes) throw sizes.failed;
  return {
    partitions: sizes.partitions.filter((partition) => topics.includes(partition.topic)),
    cleanupPolicies: Object.fromEntries(Object.entries(sizes.cleanupPolicies).filter(([topic]) => topics.includes(topic))),
  };
}

function stageOf(context: StepContext<FootprintState>, index: number, part: "chunk" | "close"): Stage {
  const size = context.state.plan.sizes[index];
  if (size === undefined) throw new LabError("UsageInvalid", `storage.footprint has no size ${index + 1}`);
  return size[part];
}

function appliedOf(context: StepContext<FootprintState>, subject: SubjectId): Applied {
  const applied = context.state.applied.get(subject) ?? { operations: 0, clusterWalBytes: 0, ownWalBytes: 0 };
  context.state.applied.set(subject, applied);
  return applied;
}

/**
 * Applies a stage's commands to one subject with nothing else of the scenario running, and adds
 * the WAL written meanwhile: between the two flushed positions (every writer on the cluster,
 * another run or a concurrent test included) and, with pg_walinspect, the subject's own records.
 * The journal's read model is brought up to date inside the window: its writes are part of what
 * the design costs.
 */
async function applyMeasured(context: StepContext<FootprintState>, subject: OpenedSubject, stage: Stage | undefined): Promise<void> {
  if (stage === undefined) throw new LabError("UsageInvalid", "storage.footprint: no such stage");
  context.state.walInspect ??= enableWalInspect(subject.driver.pool);
  const walInspect = await context.state.walInspect;
  const before = await walFlushLsn(subject.driver.pool);
  await applyStage(subject.driver, stage);
  await byDesign<Promise<unknown>>(subject.driver, {
    es: (journal) => journal.projection.catchUp(),
    crud: async () => undefined,
    cdc: async () => undefined,
  });
  // Synchronous commit: every commit of the subject is flushed once its call returned.
  const after = await walFlushLsn(subject.driver.pool);
  const applied = appliedOf(context, subject.spec.id);
  applied.operations += operationsIn(stage);
  applied.clusterWalBytes += await walBytesBetween(subject.driver.pool, before, after);
  applied.ownWalBytes = walInspect.available && applied.ownWalBytes !== null ? applied.ownWalBytes + (await schemaWalBytes(subject.driver.pool, subjectSchema(subject.driver).schema, before, after)).bytes : null;
}

async function applyStage(driver: SubjectDriver, stage: Stage): Promise<void> {
  for (const entry of stage.commands) {
    const result = await driver.apply(entry.command, entry.metadata);
    if (result.ok !== entry.accepted) {
      throw new LabError("ComponentFailed", `${driver.spec.id} answered ${JSON.stringify(result)} to ${JSON.stringify(entry.command)}; the rules ${entry.accepted ? "accept" : "reject"} it`, {
        details: { subject: driver.spec.id, command: entry.command },
      });
    }
  }
}

/** "topic/partition" -> topic (the kit's partition key; topic names hold no "/"). */
function topicOfPartition(partition: string): string {
  return partition.slice(0, partition.lastIndexOf("/"));
}

function topicsOf(cdc: CdcDriver): string[] {
  return [...cdc.topics.all, cdc.topics.transactions];
}

/**
 * Compaction's defined end state, asked of the broker and the topics: for each topic the broker
 * says is compacted, the size's records (below the offsets where the size ended, all in closed
 * segments once the closing commands arrived) keep each key once. Full-retention topics have no
 * such state to wait for.
 */
async function waitForCompaction(context: StepContext<FootprintState>, cdc: CdcDriver): Promise<void> {
  const compacted = new Set(topicsOf(cdc).filter((topic) => context.state.cleanupPolicies.get(topic)?.split(",").includes("compact") === true));
  if (compacted.size === 0) return;
  const ends = context.state.sizeEnds.get(cdc.spec.id);
  if (ends === undefined) throw new LabError("UsageInvalid", `${cdc.spec.id} has no end offsets for this size`);
  let left = 0;
  await waitFor(
    async () => {
      left = supersededRecords(await cdc.readChangeEvents(), ends, compacted);
      return left === 0 ? true : undefined;
    },
    { what: `Kafka's log cleaner to keep each key of ${cdc.spec.id}'s compacted topics once`, timeoutMs: COMPACTION_TIMEOUT_MS, intervalMs: 1_000, onTimeout: () => ({ supersededRecordsLeft: left }) },
  );
}

function slotHazardSteps(): ScenarioStep<FootprintState>[] {
  return [
    {
      actor: "operator",
      does: "pauses each CDC subject's own connector (Connect REST), checks whether the paused task keeps its slot, then stops it",
      run: (context) =>
        context.each((subject) =>
          forCdc(subject.driver, async (cdc) => {
            const control = createConnectorControl(context.run.endpoints.connectUrl, cdc.names.connector, context.run.readyTimeoutMs);
            await control.pause();
            const released = await slotReleased(cdc, PAUSE_RELEASE_WAIT_MS);
            context.observe(cdc.spec.id, OBS.pausedTaskHoldsSlot, !released);
            // PAUSE leaves Debezium's replication connection open; STOP shuts the task down and
            // keeps the slot (slot.drop.on.stop is false), which is the outage being measured.
            await control.stop();
            if (!(await slotReleased(cdc, context.run.readyTimeoutMs))) throw new LabError("ComponentFailed", `slot ${cdc.names.slot} stayed active after ${cdc.names.connector} stopped`);
          }),
        ),
    },
    {
      actor: "app",
      does: "keeps writing while the connector is stopped; reads the WAL the slot retains before and after",
      run: (context) =>
        context.each((subject) =>
          forCdc(subject.driver, async (cdc) => {
            const stage = context.state.plan.whileStopped;
            // Read right before the writes: the slot's growth while another subject was being stopped is not this subject's.
            const atStart = (await slotOf(cdc)).retainedBytes ?? 0;
            await applyStage(cdc, stage);
            const slot = await slotOf(cdc);
            const retained = slot.retainedBytes ?? 0;
            context.observe(cdc.spec.id, OBS.slotRetainedBytes, retained);
            context.observe(cdc.spec.id, OBS.slotWalRetainedPerOp, Math.round(((retained - atStart) / Math.max(1, operationsIn(stage))) * 10) / 10);
            context.observe(cdc.spec.id, OBS.slotWalStatus, slot.walStatus ?? "unknown");
            const others = (await replicationSlots(cdc.pool)).filter((other) => other.slotName !== cdc.names.slot);
            const blocker = invalidationBlocker(slot, others, await walSegmentBytes(cdc.pool));
            context.observe(
              cdc.spec.id,
              OBS.slotInvalidation,
              blocker === null ? "not measured: the lab does not lower max_slot_wal_keep_size, a cluster-wide setting, under other subjects" : `not measured: ${blocker}`,
            );
            context.evidence(cdc.spec.id, {
              id: "replication-slots",
              title: "Replication slots on the cluster while this subject's connector was stopped",
              columns: ["slot", "active", "retained WAL (bytes)", "wal_status", "safe_wal_size"],
              rows: [slot, ...others].map((entry) => [entry.slotName, entry.active, entry.retainedBytes, entry.walStatus, entry.safeWalSize]),
            });
          }),
        ),
    },
    {
      actor: "debezium",
      does: "resumes the connector; its topics must then hold every change written while it was stopped",
      run: (context) =>
        context.each((subject) =>
          forCdc(subject.driver, async (cdc) => {
            await createConnectorControl(context.run.endpoints.connectUrl, cdc.names.connector, context.run.readyTimeoutMs).resume();
            await waitForSlotActive(context.run.endpoints.postgresUrl, cdc.names.slot, context.run.readyTimeoutMs);
            try {
              await waitForTopicsToHold(cdc, context.state.plan.whileStopped.views);
              context.observe(cdc.spec.id, OBS.historyCompleteAfterResume, true);
            } catch (error) {
              // Changes that never arrive are the measurement, not a failure of the step.
              if (!(isLabError(error) && error.code === "Timeout")) throw error;
              context.observe(cdc.spec.id, OBS.historyCompleteAfterResume, false);
            }
          }),
        ),
    },
  ];
}

async function slotOf(cdc: CdcDriver) {
  const slot = (await replicationSlots(cdc.pool)).find((entry) => entry.slotName === cdc.names.slot);
  if (slot === undefined) throw new LabError("ComponentFailed", `replication slot ${cdc.names.slot} is gone`, { details: { component: "postgres" } });
  return slot;
}

/** Whether the slot goes inactive within the bound: a bounded wait whose timeout is an answer. */
async function slotReleased(cdc: CdcDriver, timeoutMs: number): Promise<boolean> {
  try {
    await waitFor(async () => ((await slotOf(cdc)).active ? undefined : true), { what: `slot ${cdc.names.slot} to be released`, timeoutMs, intervalMs: 250 });
    return true;
  } catch (error) {
    if (isLabError(error) && error.code === "Timeout") return false;
    throw error;
  }
}

function fitStep(): ScenarioStep<FootprintState> {
  return {
    actor: "operator",
    does: "fits bytes per operation over the three sizes (least squares), per place",
    run: (context) =>
      context.each(async (subject) => {
        const id = subject.spec.id;
        const points = context.state.points.get(id) ?? [];
        if (points.length !== SIZE_COUNT) throw new LabError("ComponentFailed", `${id} was measured at ${points.length} of ${SIZE_COUNT} sizes`);
        const series = (bytes: (point: SizePoint) => number | null): Point[] | null => {
          const values = points.map((point) => ({ x: point.operations, y: bytes(point) }));
          return values.every((value): value is Point => value.y !== null) ? values : null;
        };
        const record = (name: ObservationName<"number">, bytes: (point: SizePoint) => number | null): void => {
          const values = series(bytes);
          if (values !== null) context.observe(id, name, bytesPerOperation(values));
        };
        const curve = (name: ObservationName<"curve">, bytes: (point: SizePoint) => number | null): void => {
          const values = series(bytes);
          if (values !== null) context.observe(id, name, { kind: "curve", xLabel: "operations", xUnit: "count", points: values } satisfies Curve);
        };
        const stored = (point: SizePoint) => point.tableBytes + point.indexBytes + (point.kafkaBytes ?? 0);
        context.observe(id, OBS.operations, points.at(-1)?.operations ?? 0);
        record(OBS.storedBytesPerOp, stored);
        record(OBS.tableBytesPerOp, (point) => point.tableBytes);
        record(OBS.indexBytesPerOp, (point) => point.indexBytes);
        record(OBS.walBytesPerOp, (point) => point.ownWalBytes);
        record(OBS.clusterWalBytesPerOp, (point) => point.clusterWalBytes);
        const walInspect = await (context.state.walInspect ?? Promise.resolve<WalInspect>({ available: false, reason: "nothing was written" }));
        context.observe(id, OBS.walAccounting, walInspect.available ? "pg_walinspect" : walInspect.reason);
        record(OBS.kafkaBytesPerOp, (point) => point.kafkaBytes);
        for (const place of points[0]?.places ?? []) record(place.observation, (point) => point.places.find((entry) => entry.observation === place.observation)?.bytes ?? null);
        curve(OBS.storedBytes, stored);
        curve(OBS.walBytes, (point) => point.ownWalBytes);
        curve(OBS.kafkaBytes, (point) => point.kafkaBytes);
        context.evidence(id, {
          id: "bytes-by-size",
          title: "Bytes at each size, as PostgreSQL and the brokers account for them",
          columns: ["operations", "tables", "indexes", "own WAL", "cluster WAL", "topics on disk", ...(points[0]?.places ?? []).map((place) => place.observation.name.replace(/PerOp$/, ""))],
          rows: points.map((point) => [point.operations, point.tableBytes, point.indexBytes, point.ownWalBytes, point.clusterWalBytes, point.kafkaBytes, ...point.places.map((place) => place.bytes)]),
        });
      }),
  };
}
