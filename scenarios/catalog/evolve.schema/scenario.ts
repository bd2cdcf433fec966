import { backfillUnitPrice, contractUnitPriceCents, expandUnitPrice, requireUnitPrice } from "../../../services/crud-cdc/crud/migrate-unit-price.ts";
import { createCartRecord, recordedViews, sameView } from "../../kit/cart-record.ts";
import { byDesign, forCdc } from "../../kit/drivers/subject-driver.ts";
import { percent } from "../../kit/figures.ts";
import { waitForTopicsToHold } from "../../kit/topics-caught-up.ts";
import type { Knex } from "knex";
import { SIZES } from "../../model/scenario.ts";
import type { Scenario, StepContext } from "../../model/scenario.ts";
import { generateCartWorkload } from "../../workload/cart-workload.ts";
import { applyPhase, releaseOf, timed, waitForTopicsToCatchUp } from "./evolve-run.ts";
import type { EvolveRun } from "./evolve-run.ts";
import { readJournalHistory, readTopicHistory } from "./history-readability.ts";
import { judgeEvolveSchema } from "./judge.ts";
import { runNaiveCdcMigration } from "./naive-cdc-migration.ts";
import { runNaiveMigration } from "./naive-migration.ts";
import { OBS } from "./observations.ts";
import { finalRelease, openingRelease, transitionRelease } from "./releases.ts";

/**
 * evolve.schema: mid-history a cart line's price is renamed and retyped (`unitPriceCents`,
 * integer cents, becomes `unitPrice`, a decimal of currency units), while the application runs.
 * The rules and the state contract stay in cents: only what each design stores changes, as in a
 * release where storage moves and the API stays. The journal gets a new event version (history
 * is never rewritten; upcasters read the old one); the tables are migrated by expand/contract
 * (and, beside it, the naive one-step rename on tables of their own); the CDC topics keep every
 * record in the columns its row had. Then each design's whole history is read by the current
 * code, by a consumer built for the old shape and by one built for the new shape only.
 */

/** Commands the old release still writes after the change began: a rolling deploy replaces instances one by one. */
const OLD_RELEASE_OVERLAP = 5;
const BACKFILL_BATCH = 50;

function phaseBounds(commands: number): EvolveRun["bounds"] {
  const acrossFrom = Math.floor(commands / 3);
  return { acrossFrom, overlapTo: acrossFrom + OLD_RELEASE_OVERLAP, afterFrom: Math.floor((2 * commands) / 3) };
}

/**
 * Runs a DDL step on every subject (none for the journal: a new event version needs no DDL)
 * inside one marked window, once each CDC subject's topics hold every change made so far:
 * Debezium reads a table's columns from the catalog when it meets the table's next relation
 * message, so DDL that overtakes it changes how earlier rows are emitted (requireUnitPrice).
 */
async function migrateAll(context: StepContext<EvolveRun>, migrate: (knex: Knex, schema: string) => Promise<void>): Promise<void> {
  await context.each((subject) =>
    forCdc(subject.driver, (cdc) => waitForTopicsToCatchUp(context.state, cdc)),
  );
  const { window } = await timed(() =>
    context.each((subject) =>
      byDesign(subject.driver, {
        es: () => Promise.resolve(),
        crud: (crud) => migrate(crud.knex, crud.names.crudSchema),
        cdc: (cdc) => migrate(cdc.knex, cdc.names.crudSchema),
      }),
    ),
  );
  context.state.ddlWindows.push(window);
}

export const evolveSchema: Scenario<EvolveRun> = {
  id: "evolve.schema",
  claim: "Mid-history a cart line's price is renamed and retyped while the application runs. How much of each design's history does the current code still read, and what does a consumer built for the old shape do?",
  subjects: ["es", "crud", "cdc-plain"],
  init(run) {
    const scale = SIZES[run.size];
    const workload = generateCartWorkload({ seed: run.seed, carts: 6 * scale, commands: 90 * scale, cartPrefix: "evolve-" });
    return {
      record: createCartRecord(),
      workload,
      bounds: phaseBounds(workload.length),
      probes: [],
      releases: new Map(),
      failedWrites: new Map(),
      ddlWindows: [],
      backfillWindow: null,
      backfilled: new Map(),
    };
  },
  steps: [
    {
      actor: "app",
      does: "the release every subject opened with applies the first third of the seeded workload (price in cents), noting probe times",
      async run(context) {
        await context.each(async (subject) => {
          context.state.releases.set(subject.spec.id, openingRelease(subject.driver));
        });
        await applyPhase(context, "before", 0, context.state.bounds.acrossFrom);
      },
    },
    {
      actor: "operator",
      does: "expand: adds cart_items.unit_price numeric(12,2), empty, beside unit_price_cents (the journal needs no DDL)",
      run: (context) => migrateAll(context, expandUnitPrice),
    },
    {
      actor: "app",
      does: "the old release keeps writing for a few commands while the new one rolls out",
      run: (context) => applyPhase(context, "across", context.state.bounds.acrossFrom, context.state.bounds.overlapTo),
    },
    {
      actor: "app",
      does: "deploys the new release (journal: ItemAdded v3 / PriceCorrected v2 with a decimal unitPrice; tables: writes both columns) and applies the second third",
      async run(context) {
        await context.each(async (subject) => {
          context.state.releases.set(subject.spec.id, transitionRelease(subject.driver, context.run.logger));
        });
        await applyPhase(context, "across", context.state.bounds.overlapTo, context.state.bounds.afterFrom);
      },
    },
    {
      actor: "operator",
      does: "backfills unit_price of the old rows in batches, makes it required, deploys the release that reads and writes unit_price only, then contracts: drops unit_price_cents",
      async run(context) {
        const { state } = context;
        const backfill = await timed(() =>
          context.each(async (subject) => {
            const rows = await byDesign<Promise<number | null>>(subject.driver, {
              es: () => Promise.resolve(null),
              crud: (crud) => backfillUnitPrice(crud.knex, crud.names.crudSchema, { batchSize: BACKFILL_BATCH }),
              cdc: (cdc) => backfillUnitPrice(cdc.knex, cdc.names.crudSchema, { batchSize: BACKFILL_BATCH }),
            });
            context.observe(subject.spec.id, OBS.backfillRows, rows);
            if (rows !== null) state.backfilled.set(subject.spec.id, rows);
          }),
        );
        state.backfillWindow = backfill.window;
        await migrateAll(context, requireUnitPrice);
        await context.each(async (subject) => {
          state.releases.set(subject.spec.id, finalRelease(subject.driver, releaseOf(state, subject)));
        });
        await migrateAll(context, contractUnitPriceCents);
      },
    },
    {
      actor: "app",
      does: "the new release applies the last third of the workload, noting probe times",
      run: (context) => applyPhase(context, "after", context.state.bounds.afterFrom, context.state.workload.length),
    },
    {
      actor: "consumer",
      does: "reads each design's whole history, and asks it for every probed cart, with the current code, a reader built for the old shape and one for the new shape only",
      async run(context) {
        const expected = recordedViews(context.state.record);
        await context.each((subject) =>
          byDesign(subject.driver, {
            es: (es) => readJournalHistory(context, es),
            crud: () => Promise.resolve(),
            cdc: async (cdc) => {
              // Debezium streams asynchronously: read once the topics hold every cart as recorded.
              const read = await waitForTopicsToHold(cdc, expected);
              await readTopicHistory(context, cdc, read.events);
            },
          }),
        );
      },
    },
    {
      actor: "operator",
      does: "compares every cart, as the running release reads it, with the runner's record, and counts the writes the change broke",
      async run(context) {
        const { state } = context;
        const expected = recordedViews(state.record);
        await context.each(async (subject) => {
          const id = subject.spec.id;
          const release = releaseOf(state, subject);
          let matching = 0;
          for (const [cartId, view] of expected) if (sameView(await release.current(cartId), view)) matching += 1;
          const failed = state.failedWrites.get(id) ?? [];
          context.observe(id, OBS.writesFailed, failed.length);
          context.observe(id, OBS.cartsMatchingRecordPercent, percent(matching, expected.size));
          context.evidence(id, { id: `${id}-failed-writes`, title: "Commands the running release answered otherwise than the rules", columns: ["phase", "release", "command", "cartId", "problem"], rows: failed.slice(0, 20) });
        });
      },
    },
    {
      actor: "operator",
      does: "the naive ways, on tables of their own: one rename + retype while the old release still writes (CRUD); the same expand/contract while the connector is down (CDC)",
      run: (context) =>
        context.each((subject) =>
          byDesign(subject.driver, {
            es: () => Promise.resolve(),
            crud: (crud) => runNaiveMigration(context, crud),
            cdc: (cdc) => runNaiveCdcMigration(context, cdc),
          }),
        ),
    },
  ],
  judge: judgeEvolveSchema,
  headline: { observation: OBS.readableByCurrentPercent, label: "history readable by the current code" },
};
