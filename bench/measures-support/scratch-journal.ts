import type pg from "pg";
import { createCartUpcasters } from "../../services/event-sourced/cart-upcasters.ts";
import type { EventJournal } from "../../services/event-sourced/event-journal.ts";
import { migrateJournal } from "../../services/event-sourced/migrate-journal.ts";
import { createPostgresEventJournal } from "../../services/event-sourced/postgres-event-journal.ts";
import type { BenchContext } from "../harness/benchmark.ts";
import { withScratchSchema } from "./scratch-schema.ts";

/** A journal of the benchmark's own, built as the designs build theirs (cart upcasters, customers sealed), dropped afterwards. */
export interface ScratchJournal {
  schema: string;
  pool: pg.Pool;
  poolSize: number;
  journal: EventJournal;
}

export async function withScratchJournal<T>(context: BenchContext, suffix: string, poolSize: number, work: (scratch: ScratchJournal) => Promise<T>): Promise<T> {
  return withScratchSchema(context, suffix, poolSize, async ({ schema, pool }) => {
    const client = await pool.connect();
    try {
      await migrateJournal(client, schema);
    } finally {
      client.release();
    }
    const journal = createPostgresEventJournal({ pool, schema, upcasters: createCartUpcasters(), personalData: "encrypted" });
    return work({ schema, pool, poolSize, journal });
  });
}
