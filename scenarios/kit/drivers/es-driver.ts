import { toCartView } from "../../../services/cart/index.ts";
import { cartAudit } from "../../../services/event-sourced/cart-audit.ts";
import { cartHistory } from "../../../services/event-sourced/cart-history.ts";
import { createCartSummaryProjection } from "../../../services/event-sourced/cart-summary-projection.ts";
import { createCartUpcasters } from "../../../services/event-sourced/cart-upcasters.ts";
import { createEventSourcedCartHandler } from "../../../services/event-sourced/event-sourced-cart-handler.ts";
import { initialCheckpoint } from "../../../services/event-sourced/global-checkpoint.ts";
import { journalSchema } from "../../../services/event-sourced/journal-schema.ts";
import { startJournalSubscription } from "../../../services/event-sourced/journal-subscription.ts";
import { loadCart } from "../../../services/event-sourced/load-cart.ts";
import { migrateJournal } from "../../../services/event-sourced/migrate-journal.ts";
import { createPostgresEventJournal } from "../../../services/event-sourced/postgres-event-journal.ts";
import { createPostgresSnapshotStore } from "../../../services/event-sourced/postgres-snapshot-store.ts";
import { readCartSummary } from "../../../services/event-sourced/read-cart-summary.ts";
import { stateAt } from "../../../services/event-sourced/state-at.ts";
import type { EsSubjectSpec } from "../../model/subjects.ts";
import type { DriverContext } from "./driver-context.ts";
import { dropSchema, endPool } from "./drop-schema.ts";
import { createSubjectPool } from "./subject-pool.ts";
import type { EsDriver } from "./subject-driver.ts";

/** How often a polling projection looks at the journal when nothing wakes it. */
const POLL_ONLY_INTERVAL_MS = 100;

/** The journal of one subject, in its own schema, configured by the spec's knobs. */
export async function openEsDriver(context: DriverContext, spec: EsSubjectSpec, names: { subject: string; journalSchema: string }): Promise<EsDriver> {
  const pool = createSubjectPool(context, names.subject);
  try {
    const client = await pool.connect();
    try {
      await migrateJournal(client, names.journalSchema);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  const schema = names.journalSchema;
  // The knob reaches both places personal data is stored: events, and snapshots of their fold.
  const { personalData } = spec.journal;
  const journal = createPostgresEventJournal({ pool, schema, upcasters: createCartUpcasters(), personalData });
  const snapshots = createPostgresSnapshotStore({ pool, schema, personalData });
  const projection = createCartSummaryProjection({ pool, schema, journal });
  const handler = createEventSourcedCartHandler({ journal, snapshots, logger: context.logger, snapshotEvery: spec.journal.snapshotEvery });

  return {
    design: "es",
    spec,
    names,
    pool,
    journal,
    snapshots,
    projection,
    apply: (command, metadata) => handler.applyRaw(command, metadata),
    current: async (cartId) => toCartView((await loadCart({ journal, snapshots }, cartId)).state),
    stateAt: (cartId, asOf) => stateAt({ journal, snapshots }, cartId, "at" in asOf ? { at: new Date(asOf.at).toISOString() } : asOf),
    history: (cartId) => cartHistory(journal, cartId),
    audit: (cartId) => cartAudit(journal, cartId),
    readModelView: async (cartId) => (await readCartSummary(pool, schema, cartId))?.view ?? null,
    async rebuildReadModel() {
      // Resetting the checkpoint alone would not do: the projection skips a row that already
      // claims the stream version, and a hand edit leaves that version as it was.
      await pool.query(`DELETE FROM ${journalSchema(schema).cartSummaries}`);
      await projection.resetCheckpoint(initialCheckpoint());
      await projection.catchUp();
    },
    startProjection: (options = {}) =>
      startJournalSubscription({
        pool,
        schema,
        logger: context.logger,
        process: () => projection.runOnce(),
        listen: spec.journal.wakeUp === "notify",
        pollIntervalMs: options.pollIntervalMs ?? (spec.journal.wakeUp === "notify" ? 1_000 : POLL_ONLY_INTERVAL_MS),
      }),
    async dispose() {
      const problems = await dropSchema(pool, schema);
      return [...problems, ...(await endPool(pool, `pool of ${spec.id}`))];
    },
  };
}
