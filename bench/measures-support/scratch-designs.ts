import type { CartDesigns } from "../../services/designs/cart-designs.ts";
import { openCartDesigns } from "../../services/designs/cart-designs.ts";
import { describeError } from "../../services/platform/errors.ts";
import type { BenchContext } from "../harness/benchmark.ts";

/**
 * Both designs as the CLI opens them (services/designs/cart-designs.ts: the locking CRUD handler
 * with intent messages and REPLICA IDENTITY FULL, the journal with sealed customers), in schemas
 * of the run's own, dropped afterwards. The connector is never registered: command throughput is
 * measured without CDC reading the WAL (cdc-source-cost measures what it adds).
 */
export const DESIGNS_POOL_SIZE = 10;

export async function withScratchDesigns<T>(context: BenchContext, suffix: string, work: (designs: CartDesigns) => Promise<T>): Promise<T> {
  const crudSchema = `${context.run}_${suffix}_crud`;
  const journalSchema = `${context.run}_${suffix}_journal`;
  const designs = await openCartDesigns({
    endpoints: context.endpoints,
    logger: context.logger,
    crudSchema,
    journalSchema,
    variant: { name: `${context.run}_${suffix}`, schema: crudSchema, replicaIdentity: "full", intent: true, retention: "full" },
    connectorStart: "deferred",
    maxConnections: DESIGNS_POOL_SIZE,
  });
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await work(designs) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  try {
    await designs.pool.query(`DROP SCHEMA IF EXISTS "${crudSchema}", "${journalSchema}" CASCADE`);
  } catch (error) {
    // The work's own failure is the one to report; the run's sweep retries the drop.
    if (outcome.ok) outcome = { ok: false, error };
    else context.logger.warn({ crudSchema, journalSchema, err: describeError(error) }, "design schemas not dropped; the run's sweep retries");
  } finally {
    await designs.close();
  }
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
