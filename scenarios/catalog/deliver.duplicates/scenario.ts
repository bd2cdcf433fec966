import { LabError } from "../../../services/platform/errors.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { createCartRecord, recordedViews } from "../../kit/cart-record.ts";
import { byDesign, forCdc } from "../../kit/drivers/subject-driver.ts";
import { distributionOf } from "../../kit/distribution.ts";
import { applyToAll } from "../../kit/subject-state.ts";
import { waitForTopicsToHold } from "../../kit/topics-caught-up.ts";
import { SIZES } from "../../model/scenario.ts";
import type { Scenario } from "../../model/scenario.ts";
import { generateCartWorkload } from "../../workload/cart-workload.ts";
import { measureCdcConsumers } from "./cdc-consumers.ts";
import { flushGapsMs, readFlushedOffsets } from "./connect-offsets.ts";
import { requireKillWindow, requireOf } from "./duplicates-run.ts";
import type { DuplicatesRun } from "./duplicates-run.ts";
import { publishWithLostCheckpoint, redeliverToProjection, shipCheckouts } from "./es-delivery.ts";
import { judgeDeliverDuplicates } from "./judge.ts";
import { OBS } from "./observations.ts";
import { createKafkaRawTopicReader } from "./raw-topic-reader.ts";
import { changesAfter, countDuplicates } from "./source-position.ts";


/**
 * After a kill -9, Kafka Connect restarts every connector of the worker, and a task whose slot
 * PostgreSQL still counts as held retries on Debezium's own schedule (slot.retry.delay.ms, 10 s):
 * on two loaded cores the topics took over a minute to catch up (CI). Still a bounded wait for
 * a defined end state, not a sleep.
 */
const RESTART_CATCH_UP_TIMEOUT_MS = 180_000;
/** Connect commits offsets every second here; a minute covers a worker busy with other connectors. */
const FIRST_FLUSH_TIMEOUT_MS = 60_000;
/**
 * deliver.duplicates: Kafka Connect is killed with kill -9 while the application writes, the
 * journal's checkout publisher dies between its send and its checkpoint, and every consumer dies
 * between applying a record and committing it. Measured: what arrives more than once, and which
 * read models end wrong because of it.
 */

/** Share of the workload written before the kill: the kill lands after a fixed command, mid-stream. */
const KILL_AFTER_SHARE = 0.6;
const CONSUMER_TIMEOUT_MS = 120_000;

export const deliverDuplicates: Scenario<DuplicatesRun> = {
  id: "deliver.duplicates",
  claim: "Kafka Connect is killed (kill -9) mid-stream; a publisher and a consumer die between doing and remembering. What arrives twice, and which read models end wrong?",
  subjects: ["es", "cdc-plain", "cdc-tuned"],
  init(run) {
    const scale = SIZES[run.size];
    const workload = generateCartWorkload({ seed: run.seed, carts: 8 * scale, commands: 200 * scale, cartPrefix: "cart-" });
    return {
      record: createCartRecord(),
      workload,
      killAfter: Math.floor(workload.length * KILL_AFTER_SHARE),
      writesStartedAt: null,
      killedAt: null,
      topics: new Map(),
      checkoutMessages: new Map(),
    };
  },
  steps: [
    {
      actor: "app",
      does: "writes the first 60% of a seeded cart workload to every subject while Debezium streams it",
      async run(context) {
        const { state } = context;
        state.writesStartedAt = Date.now();
        for (const entry of state.workload.slice(0, state.killAfter)) await applyToAll(context, state.record, entry);
      },
    },
    {
      actor: "operator",
      does: "kills Kafka Connect with kill -9 right after that command while the app keeps writing the rest; reads what Connect had flushed and sent; starts Connect again",
      async run(context) {
        const { state, run } = context;
        // Killed only once Connect has committed each connector's progress at least once: a
        // connector killed before its first offset flush restarts from nothing and re-snapshots
        // (seen on a loaded CI machine), which is another question than redelivery after resume.
        const flushedReader = createKafkaRawTopicReader({ brokers: run.endpoints.kafkaBrokers, logger: run.logger });
        await context.each((subject) =>
          forCdc(subject.driver, async (cdc) => {
              await waitFor(async () => ((await readFlushedOffsets(flushedReader, cdc.names.connector)).length > 0 ? true : undefined), {
                what: `Kafka Connect to commit an offset of ${cdc.names.connector} before the kill`,
                timeoutMs: FIRST_FLUSH_TIMEOUT_MS,
                intervalMs: 250,
              });
            }),
        );
        const rest = state.workload.slice(state.killAfter);
        const writing = (async () => {
          for (const entry of rest) await applyToAll(context, state.record, entry);
        })();
        try {
          try {
            await run.stack.kill("connect");
          } catch (error) {
            // A runtime without the worker's pid (external) cannot kill it: the CDC subjects have no
            // answer, the journal's paths do not go through Connect and carry on.
            if (!(error instanceof LabError && error.code === "Unsupported")) throw error;
            for (const subject of context.subjects()) {
              byDesign(subject.driver, { es: () => undefined, crud: () => undefined, cdc: () => context.unsupported(subject.spec.id, error.message) });
            }
            return;
          }
          state.killedAt = Date.now();
          const window = requireKillWindow(state);
          const reader = createKafkaRawTopicReader({ brokers: run.endpoints.kafkaBrokers, logger: run.logger });
          // Connect is down: its offsets topic and the change topics are frozen as the kill left them.
          await context.each((subject) =>
            byDesign(subject.driver, {
              es: async () => {
                context.observe(subject.spec.id, OBS.unflushedAtKill, null);
                context.observe(subject.spec.id, OBS.offsetCommitGapMs, null);
              },
              crud: async () => undefined,
              cdc: async (cdc) => {
                const flushes = await readFlushedOffsets(reader, cdc.names.connector);
                const last = flushes[flushes.length - 1];
                const sent = await cdc.readChangeEvents();
                context.observe(subject.spec.id, OBS.unflushedAtKill, changesAfter(sent, last?.processedLsn ?? 0));
                context.observe(subject.spec.id, OBS.offsetCommitGapMs, distributionOf(flushGapsMs(flushes, window.from, window.to)));
                context.evidence(subject.spec.id, {
                  id: `${subject.spec.id}-offset-flushes`,
                  title: "The connector's offset flushes before the kill (Connect's offsets topic)",
                  columns: ["flushedAt", "lsn", "processedLsn"],
                  rows: flushes.map((flush) => [new Date(flush.at).toISOString(), flush.lsn, flush.processedLsn]),
                });
              },
            }),
          );
        } finally {
          // Whatever failed above, the stack is left whole: later scenarios (and test files) share it.
          await writing;
          await run.stack.up();
        }
      },
    },
    {
      actor: "debezium",
      does: "resumes each connector from its last flushed offset; the runner waits until the topics hold every cart, then counts change events with the same source position (table + LSN + key)",
      async run(context) {
        const expected = recordedViews(context.state.record);
        await context.each((subject) =>
          forCdc(subject.driver, async (cdc) => {
              await cdc.startConnector();
              const { events } = await waitForTopicsToHold(cdc, expected, RESTART_CATCH_UP_TIMEOUT_MS);
              context.state.topics.set(subject.spec.id, events);
              const count = countDuplicates(events);
              context.observe(subject.spec.id, OBS.recordsDelivered, count.records);
              context.observe(subject.spec.id, OBS.duplicatesDelivered, count.duplicates);
              context.evidence(subject.spec.id, {
                id: `${subject.spec.id}-duplicates-by-topic`,
                title: "Change events delivered more than once, per topic",
                columns: ["topic", "records", "duplicates"],
                rows: count.byTopic.map((topic) => [topic.topic, topic.records, topic.duplicates]),
              });
            }),
        );
      },
    },
    {
      actor: "app",
      does: "publishes the journal's checkouts; one publisher pass dies between the broker's acknowledgement and its checkpoint write, and the restarted publisher sends that batch again",
      async run(context) {
        const { run } = context;
        const reader = createKafkaRawTopicReader({ brokers: run.endpoints.kafkaBrokers, logger: run.logger });
        await context.each((subject) =>
          byDesign(subject.driver, {
            // Design 1's checkouts travel through the outbox connector, which this scenario does not run.
            cdc: async () => undefined,
            crud: async () => undefined,
            es: async (es) => {
              const published = await publishWithLostCheckpoint(es, { brokers: run.endpoints.kafkaBrokers, logger: run.logger, reader });
              context.state.checkoutMessages.set(subject.spec.id, published.recordsDelivered);
              context.observe(subject.spec.id, OBS.recordsDelivered, published.recordsDelivered);
              context.observe(subject.spec.id, OBS.duplicatesDelivered, published.duplicatesDelivered);
              context.observe(subject.spec.id, OBS.checkoutsExpected, published.checkoutsExpected);
              context.evidence(subject.spec.id, {
                id: `${subject.spec.id}-publisher-crash`,
                title: "The checkout publisher's lost checkpoint move",
                columns: ["crashedPass", "checkoutsInThatPass", "messagesOnTopic", "distinctEventIds"],
                rows: [[published.crashedPass, published.resent, published.recordsDelivered, published.recordsDelivered - published.duplicatesDelivered]],
              });
            },
          }),
        );
      },
    },
    {
      actor: "consumer",
      does: "runs the read models; each CDC consumer dies twice between applying and committing and restarts in the same group; the projection's checkpoint is moved back; shipping reads the checkouts",
      async run(context) {
        const { state, run } = context;
        const cartIds = [...recordedViews(state.record).keys()];
        await context.each((subject) =>
          byDesign(subject.driver, {
            crud: async () => undefined,
            cdc: async (cdc) => {
              const figures = await measureCdcConsumers(cdc, requireOf(state.topics, subject.spec.id, "topics read"), cartIds, CONSUMER_TIMEOUT_MS);
              const id = subject.spec.id;
              context.observe(id, OBS.cartsCompared, figures.cartsCompared);
              context.observe(id, OBS.consumerRedeliveries, figures.consumerRedeliveries);
              context.observe(id, OBS.idempotentCartsWrong, figures.idempotentCartsWrong);
              context.observe(id, OBS.idempotentSkipped, figures.idempotentSkipped);
              context.observe(id, OBS.projectionRowsChanged, null);
              context.observe(id, OBS.naiveCartsWrong, figures.naiveCartsWrong);
              context.observe(id, OBS.naiveDuplicatesApplied, figures.naiveDuplicatesApplied);
              context.observe(id, OBS.naiveQuantityError, figures.naiveQuantityError);
              context.observe(id, OBS.naiveDuplicateQuantity, figures.naiveDuplicateQuantity);
              context.observe(id, OBS.checkoutsExpected, null);
              context.observe(id, OBS.shipmentsRecorded, null);
              context.observe(id, OBS.shippingDuplicatesAbsorbed, null);
              context.evidence(id, {
                id: `${id}-naive-lines`,
                title: "Lines of the naive tally that differ from the CRUD tables or got a delta twice",
                columns: ["cartId", "sku", "crudQuantity", "naiveQuantity", "duplicateDelta"],
                rows: figures.lines.map((line) => [line.cartId, line.sku, line.crudQuantity, line.naiveQuantity, line.duplicateDelta]),
              });
            },
            es: async (es) => {
              const id = subject.spec.id;
              const projection = await redeliverToProjection(es, cartIds);
              context.observe(id, OBS.cartsCompared, projection.cartsCompared);
              context.observe(id, OBS.consumerRedeliveries, projection.consumerRedeliveries);
              context.observe(id, OBS.idempotentCartsWrong, projection.idempotentCartsWrong);
              // The projection does not count what it skipped; that its rows did not change is the measurement.
              context.observe(id, OBS.idempotentSkipped, null);
              context.observe(id, OBS.projectionRowsChanged, projection.projectionRowsChanged);
              const shipping = await shipCheckouts(es, {
                brokers: run.endpoints.kafkaBrokers,
                logger: run.logger,
                messages: requireOf(state.checkoutMessages, id, "checkout messages"),
                timeoutMs: CONSUMER_TIMEOUT_MS,
              });
              context.observe(id, OBS.shipmentsRecorded, shipping.shipmentsRecorded);
              context.observe(id, OBS.shippingDuplicatesAbsorbed, shipping.shippingDuplicatesAbsorbed);
              for (const name of [OBS.naiveCartsWrong, OBS.naiveDuplicatesApplied, OBS.naiveQuantityError, OBS.naiveDuplicateQuantity]) context.observe(id, name, null);
            },
          }),
        );
      },
    },
  ],
  judge: judgeDeliverDuplicates,
  headline: { observation: OBS.duplicatesDelivered, label: "records delivered more than once" },
};
