import { LabError } from "../../../services/platform/errors.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import type { CdcDriver, CrudDriver, EsDriver } from "../../kit/drivers/subject-driver.ts";
import type { StepContext } from "../../model/scenario.ts";
import { OBS } from "./observations.ts";
import type { TamperedStateRun } from "./tampered-state.ts";

const EDIT_VISIBLE_TIMEOUT_MS = 30_000;

/*
 * What each design's log shows of the hand edit. An edit the log does not show has nothing to
 * attribute or tell apart: null, as audit.intent reports it.
 */

/** The tables are all there is: no log for the edit to appear in. */
export function editInTables(context: StepContext<TamperedStateRun>, tables: CrudDriver): Promise<void> {
  const id = tables.spec.id;
  context.observe(id, OBS.editVisibleInLog, false);
  context.observe(id, OBS.editAttributed, null);
  context.observe(id, OBS.editStandsOut, null);
  return Promise.resolve();
}

/** The journal: an entry of an edited cart after the last valid moment would be the edit. */
export async function editInJournal(context: StepContext<TamperedStateRun>, journal: EsDriver, cartIds: readonly string[], validAt: number): Promise<void> {
  const id = journal.spec.id;
  const after = await Promise.all(cartIds.map(async (cartId) => (await journal.history(cartId)).filter((entry) => Date.parse(entry.recordedAt) > validAt)));
  const visible = after.every((entries) => entries.length > 0);
  context.observe(id, OBS.editVisibleInLog, visible);
  context.observe(id, OBS.editAttributed, visible ? after.every((entries) => entries.every((entry) => typeof entry.metadata["actor"] === "string")) : null);
  context.observe(id, OBS.editStandsOut, null);
}

/** The topics: Debezium captures the edit like any write; whether it says who made it depends on intent messages. */
export async function editInTopics(context: StepContext<TamperedStateRun>, cdc: CdcDriver, cartIds: readonly string[], validAt: number): Promise<void> {
  const id = cdc.spec.id;
  const seen = await waitFor(
    async () => {
      const history = await cdc.history();
      const carts = cartIds.map((cartId) => {
        const transactions = history.get(cartId) ?? [];
        return { cartId, before: transactions.filter((tx) => tx.committedAt <= validAt), transactions: transactions.filter((tx) => tx.committedAt > validAt) };
      });
      return carts.every((cart) => cart.transactions.length > 0) ? carts : undefined;
    },
    { what: `the hand edit on the topics of ${id}`, timeoutMs: EDIT_VISIBLE_TIMEOUT_MS, intervalMs: 500 },
  ).catch((error: unknown) => {
    // Not on the topics in time is itself the measurement; anything else is a failure.
    if (error instanceof LabError && error.code === "Timeout") return null;
    throw error;
  });
  context.observe(id, OBS.editVisibleInLog, seen !== null);
  if (seen === null) {
    context.observe(id, OBS.editAttributed, null);
    context.observe(id, OBS.editStandsOut, null);
    return;
  }
  context.observe(id, OBS.editAttributed, seen.every((cart) => cart.transactions.every((tx) => tx.intent !== null)));
  // With intent on, every change the application makes carries a message, so a change
  // without one is a bypass; plain CDC has no message anywhere to compare with.
  const standsOut = seen.every((cart) => cart.transactions.every((tx) => tx.intent === null) && cart.before.every((tx) => tx.intent !== null));
  context.observe(id, OBS.editStandsOut, standsOut);
  context.evidence(id, {
    id: `${id}-edit-on-topics`,
    title: "The hand edit as the topics show it",
    columns: ["cartId", "txId", "committedAt", "rowChanges", "actor", "reason"],
    rows: seen.flatMap((cart) =>
      cart.transactions.map((tx) => [cart.cartId, tx.txId, new Date(tx.committedAt).toISOString(), tx.changes.map((change) => `${change.table}:${change.op}`).join(" "), tx.intent?.actor ?? null, tx.intent?.reason ?? null]),
    ),
  });
}
