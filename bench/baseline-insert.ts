/**
 * Baseline: raw single-row INSERTs, one and eight connections. One statement, one round trip
 * and one transaction per row, a named (prepared) statement on connections held by each writer:
 * the fastest a one-row write reaches PostgreSQL, against which every command path is a ratio.
 * The row is an event's: a key, the event's data and metadata as jsonb.
 */
import type pg from "pg";
import type { Benchmark, BenchContext, Measure } from "./harness/benchmark.ts";
import { repeat } from "./harness/repeat.ts";
import { measureOf } from "./measures-support/bench-measure.ts";
import { eventJson, itemAdded } from "./measures-support/cart-event-fixtures.ts";
import { holdConnections, withScratchSchema } from "./measures-support/scratch-schema.ts";
import { WRITER_COUNTS, dealOperations, perOperationSettings, profiled, runLanes } from "./measures-support/writer-lanes.ts";

/** Rows per timed repetition; the warm-up writes a fifth. */
const ROWS = { quick: 400, full: 5_000 } as const;

export const baselineInsert: Benchmark = {
  id: "baseline-insert",
  title: "raw single-row INSERT, 1 and 8 connections",
  kind: "baseline",
  async run(context) {
    return withScratchSchema(context, "insert", Math.max(...WRITER_COUNTS), async ({ schema, pool, poolSize }) => {
      await pool.query(`CREATE TABLE "${schema}".rows (id bigint PRIMARY KEY, data jsonb NOT NULL, metadata jsonb NOT NULL)`);
      const measures: Measure[] = [];
      let nextId = 0;
      for (const writers of WRITER_COUNTS) {
        measures.push(await insertMeasure(context, pool, schema, poolSize, writers, () => (nextId += 1)));
      }
      return measures;
    });
  },
};

async function insertMeasure(context: BenchContext, pool: pg.Pool, schema: string, poolSize: number, writers: number, newId: () => number): Promise<Measure> {
  const rows = context.quick ? ROWS.quick : ROWS.full;
  const row = eventJson(itemAdded("baseline-cart", 0));
  const statement = { name: "bench-baseline-insert", text: `INSERT INTO "${schema}".rows (id, data, metadata) VALUES ($1, $2::jsonb, $3::jsonb)` };
  return holdConnections(pool, writers, async (clients) => {
    const insertRows = (count: number) =>
      runLanes(dealOperations(count, writers), async (_operation, lane) => {
        await (clients[lane] as pg.PoolClient).query({ ...statement, values: [newId(), row.data, row.metadata] });
      });
    const warmUpRows = Math.max(writers, Math.floor(rows / 5));
    const repeated = await repeat(context, {
      name: `raw INSERT, ${writers} connection(s)`,
      unit: "rows/s",
      writers,
      warmUp: async () => {
        await insertRows(warmUpRows);
        return warmUpRows;
      },
      once: () => insertRows(rows),
    });
    return profiled(measureOf(
      {
        id: `baseline.insert.w${writers}`,
        label: `raw single-row INSERT, ${writers} connection${writers === 1 ? "" : "s"}`,
        unit: "rows/s",
        better: "higher",
        settings: {
          operation: "one INSERT of one row (bigint key, jsonb data and metadata), autocommit",
          writers,
          poolSize,
          preparedStatement: true,
          rowsPerRepetition: rows,
          ...perOperationSettings(repeated.perOperation),
        },
      },
      repeated.samples,
    ), repeated);
  });
}
