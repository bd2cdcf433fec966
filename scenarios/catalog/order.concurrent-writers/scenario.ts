import type { CartView } from "../../../services/cart/index.ts";
import { LabError } from "../../../services/platform/errors.ts";
import { byDesign } from "../../kit/drivers/subject-driver.ts";
import type { SubjectDriver } from "../../kit/drivers/subject-driver.ts";
import type { Evidence } from "../../model/observations.ts";
import { SIZES } from "../../model/scenario.ts";
import type { Scenario, StepContext } from "../../model/scenario.ts";
import type { SubjectId } from "../../model/subjects.ts";
import { cartViewKey } from "./cart-view-key.ts";
import { consumedDataCollections, recordArrivals } from "./cdc-consumers.ts";
import { concurrentWritersPlan } from "./concurrent-workload.ts";
import type { ConcurrentWritersPlan, TornPlan } from "./concurrent-workload.ts";
import { measureGlobalOrder } from "./global-order.ts";
import type { GlobalOrderFigures } from "./global-order.ts";
import { judgeOrderConcurrentWriters } from "./judge.ts";
import { runConcurrentAdds } from "./lost-updates.ts";
import { OBS } from "./observations.ts";
import { probeMultiEventAppends, watchProjection } from "./projection-batches.ts";
import { countTornViews, isRowChange, perRecordSteps, tornAmong } from "./torn-views.ts";
import type { ShownView, TornViewCount } from "./torn-views.ts";
import { groupByTransaction } from "./transaction-grouper.ts";

/**
 * order.concurrent-writers: "N writers on one cart; slow and fast transactions interleaved."
 * Three questions, each answered by real concurrent connections and real Debezium records:
 * does an acknowledged write survive a race; does a global reader of the journal skip an event
 * that commits late; does a downstream consumer ever show a cart the database never held?
 */

interface ConcurrentWritersState {
  plan: ConcurrentWritersPlan;
  /** Per subject, what a user would have seen go wrong so far (the headline adds them up). */
  anomalies: Map<SubjectId, number>;
}

/** Part 3's figures for one subject; null where the design has no downstream consumer to ask. */
interface TornFigures {
  consumer: TornViewCount;
  grouped: (TornViewCount & { transactions: number; pending: number }) | null;
  eventsWithTransactionBlock: number | null;
  projection: { batches: number; splitAppends: number } | null;
  probe: { splitAppends: number; torn: TornViewCount } | null;
}

const addAnomalies = (state: ConcurrentWritersState, id: SubjectId, count: number) => state.anomalies.set(id, (state.anomalies.get(id) ?? 0) + count);

/** Part 3's commands: one writer per cart, the carts side by side; each command must be accepted, and the end state must be the record's. */
async function applyTornPlan(driver: SubjectDriver, plan: TornPlan): Promise<void> {
  await Promise.all(
    plan.carts.map(async (cart) => {
      for (const entry of cart.commands) {
        const result = await driver.apply(entry.command, entry.metadata);
        if (!result.ok) throw new LabError("ComponentFailed", `part 3: ${String(entry.command["type"])} on cart ${cart.cartId} was rejected: ${result.error.code} ${result.error.message}`);
      }
    }),
  );
  for (const [cartId, view] of finalViews(plan)) {
    if (cartViewKey(await driver.current(cartId)) !== cartViewKey(view)) throw new LabError("ComponentFailed", `part 3: cart ${cartId} does not end as the runner's record says`);
  }
}

function finalViews(plan: TornPlan): Map<string, CartView | null> {
  return new Map([...plan.committed].map(([cartId, views]) => [cartId, views[views.length - 1] ?? null] as const));
}

function tornEvidence(id: string, title: string, torn: readonly ShownView[]): Evidence {
  return {
    id,
    title,
    columns: ["cart", "status", "lines", "discounts", "total ¢"],
    rows: torn.slice(0, 10).map(({ cartId, view }) => [
      cartId,
      view?.status ?? "(no cart)",
      view === null ? "" : view.items.map((line) => `${line.sku}×${line.quantity}@${line.unitPriceCents}`).join(" "),
      view === null ? "" : view.discounts.map((discount) => `${discount.discountId}(${discount.sku}≥${discount.minQuantity} ${discount.amountCents})`).join(" "),
      view?.totalCents ?? null,
    ]),
  };
}

async function measureTorn(context: StepContext<ConcurrentWritersState>, driver: SubjectDriver): Promise<TornFigures | null> {
  const { plan } = context.state;
  const committed = plan.torn.committed;
  const after = finalViews(plan.torn);
  return byDesign<Promise<TornFigures | null>>(driver, {
    es: async (es) => {
      const watch = await watchProjection(es, context.run.logger, after, () => applyTornPlan(es, plan.torn));
      const probe = await probeMultiEventAppends(es, plan.batchProbe);
      return {
        consumer: tornAmong(watch.shown, committed),
        grouped: null,
        eventsWithTransactionBlock: null,
        projection: { batches: watch.batches, splitAppends: watch.splitAppends },
        probe: { splitAppends: probe.splitAppends, torn: tornAmong(probe.shown, probe.committed) },
      };
    },
    // The CRUD tables alone have no downstream consumer: nothing to show a torn cart.
    crud: async () => null,
    cdc: async (cdc) => {
      const before = new Map<string, CartView | null>();
      for (const cart of plan.lostUpdates.carts) before.set(cart.cartId, await cdc.current(cart.cartId));
      const arrivals = await recordArrivals(cdc, context.run.endpoints.kafkaBrokers, context.run.logger, { before, after }, () => applyTornPlan(cdc, plan.torn));
      const withBlock = arrivals.filter((item) => isRowChange(item) && item.transaction !== undefined).length;
      let grouped: TornFigures["grouped"] = null;
      if (withBlock > 0) {
        const grouping = groupByTransaction(arrivals, consumedDataCollections(cdc));
        grouped = { ...countTornViews(grouping.transactions.map((transaction) => transaction.events), committed), transactions: grouping.transactions.length, pending: grouping.pending };
      }
      return { consumer: countTornViews(perRecordSteps(arrivals), committed), grouped, eventsWithTransactionBlock: withBlock, projection: null, probe: null };
    },
  });
}

export const orderConcurrentWriters: Scenario<ConcurrentWritersState> = {
  id: "order.concurrent-writers",
  claim:
    "Under concurrent writers, CRUD without a row lock loses acknowledged updates while the locked handler and the journal (conflicts retried) lose none; a `position > last` poller of the journal skips events that commit late, the xmin-bounded reader skips none; a consumer applying Debezium's per-table topics as they arrive can show carts that never existed, one grouping by Debezium's transaction metadata should not.",
  subjects: ["crud-naive", "crud", "es", "cdc-plain", "cdc-tuned"],
  init: (run) => ({ plan: concurrentWritersPlan(run.seed, SIZES[run.size]), anomalies: new Map() }),
  steps: [
    {
      actor: "app",
      does: "N writers per cart add one unit each to the same line at once",
      async run(context) {
        const { lostUpdates } = context.state.plan;
        await context.each(async (subject) => {
          const id = subject.spec.id;
          const figures = await runConcurrentAdds(subject.driver, lostUpdates, context.run.logger);
          context.observe(id, OBS.writesAcknowledged, figures.acknowledged);
          context.observe(id, OBS.lostUpdates, figures.lost);
          context.observe(id, OBS.writesRejected, figures.rejected);
          if (figures.conflicts !== null) context.observe(id, OBS.conflictsRetried, figures.conflicts);
          addAnomalies(context.state, id, Math.max(0, figures.lost));
          context.evidence(id, {
            id: "lost-updates",
            title: `${lostUpdates.writers} writers × ${lostUpdates.addsPerWriter} AddItem (quantity 1) per cart${figures.firstRejection === null ? "" : `; first rejection: ${figures.firstRejection}`}`,
            columns: ["cart", "acknowledged", "final quantity", "lost"],
            rows: figures.perCart.map((cart) => [cart.cartId, cart.acknowledged, cart.finalQuantity, cart.acknowledged - cart.finalQuantity]),
          });
        });
      },
    },
    {
      actor: "app",
      does: "holds a slow append open while fast commands commit; a naive and a safe reader poll the journal",
      async run(context) {
        await context.each(async (subject) => {
          const id = subject.spec.id;
          const figures = await byDesign<Promise<GlobalOrderFigures | null>>(subject.driver, {
            es: (es) => measureGlobalOrder(es, context.state.plan.globalOrder),
            // No global log of events to poll: the CRUD tables hold only the present, and
            // Debezium's topics are read by Kafka offset, which commit order assigns.
            crud: async () => null,
            cdc: async () => null,
          });
          if (figures === null) return;
          context.observe(id, OBS.globalEventsCommitted, figures.committed);
          context.observe(id, OBS.naivePollerSkipped, figures.naiveSkipped);
          context.observe(id, OBS.safeReaderSkipped, figures.safeSkipped);
          addAnomalies(context.state, id, figures.safeSkipped);
          context.evidence(id, {
            id: "global-order",
            title: "Per round: the slow append's position, and how far the naive poller had read before it committed",
            columns: ["slow append position", "naive poller at"],
            rows: figures.rounds.map((round) => [round.slowPosition, round.naiveReadUpTo]),
          });
        });
      },
    },
    {
      actor: "consumer",
      does: "shows each cart while commands touching several tables commit (the app writes, Debezium streams)",
      async run(context) {
        await context.each(async (subject) => {
          const id = subject.spec.id;
          const figures = await measureTorn(context, subject.driver);
          if (figures === null) return;
          context.observe(id, OBS.viewsShown, figures.consumer.viewsShown);
          context.observe(id, OBS.tornViews, figures.consumer.tornViews);
          context.evidence(id, tornEvidence("torn-views", "Cart views shown that were never committed (first 10)", figures.consumer.torn));
          if (figures.eventsWithTransactionBlock !== null) context.observe(id, OBS.eventsWithTransactionBlock, figures.eventsWithTransactionBlock);
          if (figures.grouped !== null) {
            context.observe(id, OBS.groupedViewsShown, figures.grouped.viewsShown);
            context.observe(id, OBS.groupedTornViews, figures.grouped.tornViews);
            context.observe(id, OBS.transactionsGrouped, figures.grouped.transactions);
            context.evidence(id, tornEvidence("grouped-torn-views", "Cart views the transaction-grouped consumer showed that were never committed (first 10)", figures.grouped.torn));
          }
          if (figures.projection !== null) {
            context.observe(id, OBS.projectionBatches, figures.projection.batches);
            context.observe(id, OBS.appendsSplitByBatch, figures.projection.splitAppends);
          }
          if (figures.probe !== null) {
            context.observe(id, OBS.probeAppendsSplit, figures.probe.splitAppends);
            context.observe(id, OBS.probeTornViews, figures.probe.torn.tornViews);
            context.evidence(id, tornEvidence("probe-torn-views", "Probe: views of carts written by one append of many events that the read model showed, never committed", figures.probe.torn.torn));
          }
          // The best consumer the subject's records allow: grouped where there is metadata.
          addAnomalies(context.state, id, (figures.grouped ?? figures.consumer).tornViews + (figures.probe?.torn.tornViews ?? 0));
        });
      },
    },
    {
      actor: "operator",
      does: "adds up what a user of each subject saw go wrong",
      async run(context) {
        await context.each(async (subject) => {
          context.observe(subject.spec.id, OBS.anomalies, context.state.anomalies.get(subject.spec.id) ?? 0);
        });
      },
    },
  ],
  judge: judgeOrderConcurrentWriters,
  headline: { observation: OBS.anomalies, label: "Anomalies a user sees: writes lost + cart states that never existed + events skipped" },
};
