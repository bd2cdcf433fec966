/**
 * Debezium's pass-through at saturation, a baseline other measures are compared with: rows per
 * second from an INSERT of many rows into a captured table to the last of them acknowledged on
 * its topic. The connector runs with Debezium's and Kafka's defaults, as a team starts with.
 */
import { crudTables } from "../services/crud-cdc/crud/crud-tables.ts";
import { waitFor } from "../services/platform/wait-for.ts";
import type { CdcDriver } from "../scenarios/kit/drivers/subject-driver.ts";
import type { Benchmark } from "./harness/benchmark.ts";
import { stopIfInterrupted } from "./harness/repeat.ts";
import { measureOf } from "./measures-support/bench-measure.ts";
import { cdcSubject, withBenchSubjects } from "./measures-support/bench-subjects.ts";
import { summarizeRepetitions } from "./measures-support/repetition-summary.ts";
import { connectTopicEnds } from "./measures-support/topic-ends.ts";
import type { TopicEnds } from "./measures-support/topic-ends.ts";

const ROWS = { quick: 2_000, full: 50_000 } as const;
/** Rows streamed before timing: the connector's first batches (topic creation, JIT) are not its pace. */
const WARM_UP_ROWS = 1_000;
/** Slower than 100 rows/s would be a broken stack, not a figure. */
const ROWS_PER_SECOND_FLOOR = 100;
/** How often the topic's end is read: small beside the seconds a repetition takes. */
const END_CHECK_MS = 20;

export const benchmark: Benchmark = {
  id: "cdc-pass-through",
  title: "Debezium's pass-through at saturation: rows/s from INSERT to the topic",
  kind: "baseline",
  async run(context) {
    const rows = context.quick ? ROWS.quick : ROWS.full;
    return withBenchSubjects(context, `${context.run}_pass`, async (subjects) => {
      const cdc = await subjects.cdc(cdcSubject("cdc-plain"), "through");
      const ends = await connectTopicEnds(context.endpoints.kafkaBrokers, context.logger);
      try {
        await context.progress.step(`warm-up: ${WARM_UP_ROWS} rows through Debezium`, () => passRows(cdc, ends, WARM_UP_ROWS, "warm-"));
        const runs: Pass[] = [];
        for (let repetition = 0; repetition < context.repetitions; repetition += 1) {
          stopIfInterrupted(context);
          runs.push(
            await context.progress.step(
              `${rows} rows from INSERT to the topic (repetition ${repetition + 1} of ${context.repetitions})`,
              () => passRows(cdc, ends, rows, `rep${repetition}-`),
              (pass) => `${Math.round(pass.rowsPerSecond)} rows/s`,
            ),
          );
        }
        return [
          measureOf(
            {
              id: "baseline.cdc-pass-through",
              label: "Debezium pass-through at saturation: rows from INSERT to acknowledged on the topic",
              unit: "rows/s",
              better: "higher",
              settings: {
                "rows per repetition": rows,
                write: "one INSERT ... SELECT generate_series into carts: one statement, one transaction",
                "INSERT statement ms (median)": Math.round(summarizeRepetitions(runs.map((pass) => pass.insertMs)).value),
                "timed from": "the INSERT's start",
                "timed to": "the carts topic's high watermark counts every row (acknowledged by the broker)",
                "captured tables": "carts, cart_items, cart_discounts; REPLICA IDENTITY FULL; pgoutput",
                connector: "Debezium's defaults: poll.interval.ms 500, max.batch.size 2048, max.queue.size 8192; producer defaults (linger.ms 5)",
                topic: "one partition",
              },
            },
            runs.map((pass) => pass.rowsPerSecond),
          ),
        ];
      } finally {
        await ends.close();
      }
    });
  },
};

export default benchmark;

interface Pass {
  rowsPerSecond: number;
  insertMs: number;
}

/** Inserts `rows` new carts rows in one statement and waits until the topic holds every one of them. */
async function passRows(cdc: CdcDriver, ends: TopicEnds, rows: number, prefix: string): Promise<Pass> {
  const topic = cdc.topics.carts;
  const before = await ends.recordsWritten(topic);
  const startedAt = performance.now();
  await cdc.pool.query(`INSERT INTO ${crudTables(cdc.names.crudSchema).carts} (cart_id, status) SELECT $1 || g, 'open' FROM generate_series(1, $2::int) AS g`, [prefix, rows]);
  const insertMs = performance.now() - startedAt;
  let written = before;
  await waitFor(
    async () => {
      written = await ends.recordsWritten(topic);
      return written - before >= rows ? true : undefined;
    },
    { what: `${rows} rows to reach ${topic}`, timeoutMs: Math.max(60_000, (1000 * rows) / ROWS_PER_SECOND_FLOOR), intervalMs: END_CHECK_MS, onTimeout: () => ({ arrived: written - before }) },
  );
  return { rowsPerSecond: rows / ((performance.now() - startedAt) / 1000), insertMs };
}

