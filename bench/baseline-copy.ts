/**
 * Baseline: COPY of the same rows as the INSERT baseline, 100 rows per COPY (one COPY, one
 * transaction), one connection: the fastest way PostgreSQL takes a batch, against which the
 * journal's batch append of 100 events is a ratio (rows per second both).
 */
import type pg from "pg";
import type { Benchmark } from "./harness/benchmark.ts";
import { repeat } from "./harness/repeat.ts";
import { measureOf } from "./measures-support/bench-measure.ts";
import { eventJson, itemAdded } from "./measures-support/cart-event-fixtures.ts";
import { copyLine, copyRows } from "./measures-support/copy-rows.ts";
import { holdConnections, withScratchSchema } from "./measures-support/scratch-schema.ts";
import { perOperationSettings, profiled } from "./measures-support/writer-lanes.ts";

export const ROWS_PER_COPY = 100;
/** COPYs per timed repetition; the warm-up does a fifth. */
const COPIES = { quick: 10, full: 100 } as const;

export const baselineCopy: Benchmark = {
  id: "baseline-copy",
  title: `COPY of the INSERT baseline's rows, ${ROWS_PER_COPY} rows per COPY`,
  kind: "baseline",
  async run(context) {
    return withScratchSchema(context, "copy", 1, async ({ schema, pool, poolSize }) => {
      await pool.query(`CREATE TABLE "${schema}".rows (id bigint PRIMARY KEY, data jsonb NOT NULL, metadata jsonb NOT NULL)`);
      const row = eventJson(itemAdded("baseline-cart", 0));
      let nextId = 0;
      const copies = context.quick ? COPIES.quick : COPIES.full;
      return holdConnections(pool, 1, async (clients) => {
        const client = clients[0] as pg.PoolClient;
        const copyOnce = async () => {
          const lines = Array.from({ length: ROWS_PER_COPY }, () => copyLine([(nextId += 1), row.data, row.metadata])).join("");
          await copyRows(client, `"${schema}".rows`, ["id", "data", "metadata"], [lines]);
        };
        const copyMany = async (count: number) => {
          const startedAt = performance.now();
          for (let copy = 0; copy < count; copy += 1) await copyOnce();
          return (count * ROWS_PER_COPY) / ((performance.now() - startedAt) / 1000);
        };
        const warmUpCopies = Math.max(1, Math.floor(copies / 5));
        const repeated = await repeat(context, {
          name: `COPY, ${ROWS_PER_COPY} rows per COPY`,
          unit: "rows/s",
          warmUp: async () => {
            await copyMany(warmUpCopies);
            return warmUpCopies;
          },
          once: () => copyMany(copies),
        });
        return [
          profiled(measureOf(
            {
              id: "baseline.copy",
              label: `COPY of the same rows, ${ROWS_PER_COPY} rows per COPY, 1 connection`,
              unit: "rows/s",
              better: "higher",
              settings: {
                operation: `one COPY FROM STDIN of ${ROWS_PER_COPY} rows (text format), autocommit`,
                writers: 1,
                poolSize,
                rowsPerOperation: ROWS_PER_COPY,
                rowsPerRepetition: copies * ROWS_PER_COPY,
                ...perOperationSettings(repeated.perOperation),
              },
            },
            repeated.samples,
          ), repeated),
        ];
      });
    });
  },
};
