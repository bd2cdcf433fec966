import { cartStreamId } from "../../../services/event-sourced/cart-stream.ts";
import { crudTables } from "../../../services/crud-cdc/crud/crud-tables.ts";
import { journalSchema } from "../../../services/event-sourced/journal-schema.ts";
import { LabError } from "../../../services/platform/errors.ts";
import type { CdcDriver, CrudDriver, EsDriver } from "../../kit/drivers/subject-driver.ts";
import type { StepContext } from "../../model/scenario.ts";
import type { AuditState } from "./audit-state.ts";
import { requireTarget } from "./audit-state.ts";
import { OBS } from "./observations.ts";

/** The price the operator sets by hand: one no command of the workload ever gives. */
const DIRECT_EDIT_PRICE_CENTS = 1;

/** The 32 bits of a transaction id that logical decoding (and so Debezium's txId) carries. */
function xid32(fullTransactionId: string): number {
  return Number(BigInt(fullTransactionId) % 2n ** 32n);
}

/** The operator reprices the target line in the CRUD tables, and the runner notes the transaction to find it in the log. */
export async function repriceInCrudTables(context: StepContext<AuditState>, tables: CrudDriver | CdcDriver): Promise<void> {
  const { cartId, sku } = requireTarget(context.state);
  const names = crudTables(tables.names.crudSchema);
  const xid = await tables.knex.transaction(async (trx) => {
    const updated = await trx.raw<{ rowCount: number }>(`UPDATE ${names.cartItems} SET unit_price_cents = ? WHERE cart_id = ? AND sku = ?`, [DIRECT_EDIT_PRICE_CENTS, cartId, sku]);
    if (updated.rowCount !== 1) throw new LabError("ComponentFailed", `the operator's UPDATE of cart ${cartId} line ${sku} changed ${updated.rowCount} rows, not 1`);
    const transaction = await trx.raw<{ rows: { xid: string }[] }>("SELECT pg_current_xact_id()::text AS xid");
    const full = transaction.rows[0]?.xid;
    if (full === undefined) throw new LabError("ComponentFailed", "PostgreSQL did not name the operator's transaction");
    return xid32(full);
  });
  context.state.directEditTx.set(tables.spec.id, xid);
}

/**
 * The operator tries the same repricing on the journal (its trigger refuses any UPDATE), then
 * edits what can be edited in this design: the read model. The journal is fingerprinted before
 * and after to show it did not change.
 */
export async function repriceInJournal(context: StepContext<AuditState>, journal: EsDriver): Promise<void> {
  const { cartId } = requireTarget(context.state);
  const id = journal.spec.id;
  const { pool } = journal;
  const schema = journalSchema(journal.names.journalSchema);
  const fingerprint = async (): Promise<string> => {
    const result = await pool.query<{ digest: string }>(
      `SELECT count(*) || ':' || md5(coalesce(string_agg(event_id::text || event_type || data::text || metadata::text, ',' ORDER BY global_position), '')) AS digest FROM ${schema.events}`,
    );
    return result.rows[0]?.digest ?? "";
  };
  const before = await fingerprint();

  let refused = false;
  try {
    await pool.query(`UPDATE ${schema.events} SET data = jsonb_set(data, '{unitPriceCents}', to_jsonb($2::int)) WHERE stream_id = $1 AND event_type = 'ItemAdded'`, [cartStreamId(cartId), DIRECT_EDIT_PRICE_CENTS]);
  } catch (error) {
    // The refusal is the measurement: the journal's trigger raises restrict_violation on any UPDATE.
    if ((error as { code?: unknown }).code !== "23001") throw error;
    refused = true;
  }
  context.observe(id, OBS.journalEditRefused, refused);

  // What an operator can edit in this design is a read model: bring it up to date, then edit it.
  await journal.projection.catchUp();
  const edited = await pool.query(`UPDATE ${schema.cartSummaries} SET total_cents = $2 WHERE cart_id = $1`, [cartId, DIRECT_EDIT_PRICE_CENTS]);
  context.observe(id, OBS.readModelRowsEdited, edited.rowCount ?? 0);

  const unchanged = (await fingerprint()) === before;
  context.observe(id, OBS.journalUnchanged, unchanged);
  context.observe(id, OBS.directEditVisible, !unchanged);
  // Nothing reached the journal, so there is nothing to attribute: null, not a guess.
  context.observe(id, OBS.directEditAttributed, unchanged ? null : false);
}
