/**
 * Baseline: a raw read of N event rows into Node, one SELECT in key order: the rows are the
 * journal's (stream id, jsonb data and metadata of cart events), node-postgres parses the jsonb
 * as the journal's reader does. The rebuild reads and folds as many events; its ratio is to this.
 */
import type { Benchmark } from "./harness/benchmark.ts";
import { repeat } from "./harness/repeat.ts";
import { measureOf } from "./measures-support/bench-measure.ts";
import { eventJson, itemAdded } from "./measures-support/cart-event-fixtures.ts";
import { copyLine, copyRows } from "./measures-support/copy-rows.ts";
import { EVENTS_TO_READ } from "./measures-support/read-size.ts";
import { withScratchSchema } from "./measures-support/scratch-schema.ts";
import { perOperationSettings, profiled } from "./measures-support/writer-lanes.ts";

/** Carts the rows spread over, as the rebuild's events do. */
export const CARTS = 1_000;

function* copyLines(rows: number): Generator<string> {
  for (let id = 1; id <= rows; id += 1) {
    const cartId = `read-${id % CARTS}`;
    const { data, metadata } = eventJson(itemAdded(cartId, id));
    yield copyLine([id, `cart-${cartId}`, data, metadata]);
  }
}

export const baselineRead: Benchmark = {
  id: "baseline-read",
  title: "raw read of N event rows into Node (one SELECT)",
  kind: "baseline",
  async run(context) {
    const rows = context.quick ? EVENTS_TO_READ.quick : EVENTS_TO_READ.full;
    return withScratchSchema(context, "read", 1, async ({ schema, pool, poolSize }) => {
      await pool.query(`CREATE TABLE "${schema}".rows (id bigint PRIMARY KEY, stream_id text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL)`);
      await context.progress.step(`raw read: writing ${rows} event rows to read`, async () => {
        const client = await pool.connect();
        try {
          await copyRows(client, `"${schema}".rows`, ["id", "stream_id", "data", "metadata"], copyLines(rows));
        } finally {
          client.release();
        }
        await pool.query(`VACUUM ANALYZE "${schema}".rows`);
      });
      const readAll = async () => {
        const startedAt = performance.now();
        const result = await pool.query(`SELECT id, stream_id, data, metadata FROM "${schema}".rows ORDER BY id`);
        return result.rows.length / ((performance.now() - startedAt) / 1000);
      };
      const repeated = await repeat(context, {
        name: `raw read of ${rows} rows`,
        unit: "rows/s",
        warmUp: async () => {
          await readAll();
          return 1;
        },
        once: readAll,
      });
      return [
        profiled(measureOf(
          {
            id: "baseline.read",
            label: `raw read of ${rows.toLocaleString("en-US")} event rows into Node, one SELECT`,
            unit: "rows/s",
            better: "higher",
            settings: { operation: `one SELECT of ${rows} rows (bigint, text, two jsonb) in key order`, rowsPerRead: rows, poolSize, ...perOperationSettings(repeated.perOperation) },
          },
          repeated.samples,
        ), repeated),
      ];
    });
  },
};
