import { cdcAudit } from "../../../services/crud-cdc/cdc-history.ts";
import type { CdcHistory } from "../../../services/crud-cdc/cdc-history.ts";
import { LabError } from "../../../services/platform/errors.ts";
import type { CdcDriver, EsDriver } from "../../kit/drivers/subject-driver.ts";
import type { Evidence } from "../../model/observations.ts";
import type { StepContext } from "../../model/scenario.ts";
import type { SubjectSpec } from "../../model/subjects.ts";
import { auditCoverage } from "./audit-record.ts";
import type { AuditCoverage, LoggedChange } from "./audit-record.ts";
import type { AuditState } from "./audit-state.ts";
import { requireTarget } from "./audit-state.ts";
import { OBS } from "./observations.ts";

/** Unrounded: exactly 100 only when every change is known. null when there is nothing to divide. */
function share(part: number, whole: number): number | null {
  return whole === 0 ? null : (100 * part) / whole;
}

function observeCoverage(context: StepContext<AuditState>, spec: SubjectSpec, coverage: AuditCoverage): void {
  const id = spec.id;
  context.observe(id, OBS.changesMade, coverage.changesMade);
  context.observe(id, OBS.changesInLog, coverage.changesInLog);
  context.observe(id, OBS.commandsWithReason, coverage.commandsWithReason);
  context.observe(id, OBS.operationKnownPercent, share(coverage.operationKnown, coverage.changesMade));
  context.observe(id, OBS.actorKnownPercent, share(coverage.actorKnown, coverage.changesMade));
  // Over the commands that gave a reason: a log cannot be blamed for a reason nobody gave.
  context.observe(id, OBS.reasonKnownPercent, share(coverage.reasonKnown, coverage.commandsWithReason));
}

function trailEvidence(spec: SubjectSpec, cartId: string, rows: Evidence["rows"]): Evidence {
  return { id: "audit-trail", title: `Audit trail of cart ${cartId} as ${spec.label} gives it`, columns: ["time", "operation", "actor", "reason"], rows };
}

/** Transactions the topics hold, but the one named `except` (the operator's). */
export function countTransactions(history: CdcHistory, except: number): number {
  let count = 0;
  for (const transactions of history.values()) count += transactions.filter((transaction) => transaction.txId !== except).length;
  return count;
}

/** The CDC design's log is its topics: row effects, with intent only where messages travel with them. */
export async function auditTopics(context: StepContext<AuditState>, cdc: CdcDriver): Promise<void> {
  const id = cdc.spec.id;
  const { cartId: targetCartId } = requireTarget(context.state);
  const directTx = context.state.directEditTx.get(id);
  if (directTx === undefined) throw new LabError("UsageInvalid", `${id} has no direct edit to look for`);
  const history = await cdc.history();
  const logged = new Map<string, LoggedChange[]>();
  let trail: Evidence["rows"] = [];
  for (const [cartId, transactions] of history) {
    const entries = cdcAudit(transactions);
    logged.set(
      cartId,
      entries.filter((entry) => entry.txId !== directTx).map((entry) => ({ at: entry.committedAt, operation: entry.operation, actor: entry.actor, reason: entry.reason })),
    );
    if (cartId === targetCartId) {
      // What the log says about each change, as it says it: row effects where it knows no operation.
      trail = entries.map((entry) => [entry.committedAt, entry.operation ?? `rows: ${entry.rowChanges.join(" ")}`, entry.actor, entry.reason]);
    }
  }
  observeCoverage(context, cdc.spec, auditCoverage(context.state.expected, logged));

  const direct = (history.get(targetCartId) ?? []).find((transaction) => transaction.txId === directTx);
  const directAudit = direct === undefined ? undefined : cdcAudit([direct])[0];
  context.observe(id, OBS.directEditVisible, direct !== undefined);
  context.observe(id, OBS.directEditAttributed, directAudit === undefined ? null : directAudit.actor !== null);
  // REPLICA IDENTITY FULL puts the old row in `before`; DEFAULT sends the new row only.
  const oldPrice = direct?.changes.find((change) => change.table === "cart_items")?.before?.["unit_price_cents"];
  context.observe(id, OBS.directEditOldValueKnown, oldPrice !== undefined && oldPrice !== null);
  context.evidence(id, trailEvidence(cdc.spec, targetCartId, trail));
}

/** The journal's log is its events, each with the intent its command carried. */
export async function auditJournal(context: StepContext<AuditState>, journal: EsDriver): Promise<void> {
  const id = journal.spec.id;
  const { cartId: targetCartId } = requireTarget(context.state);
  const logged = new Map<string, LoggedChange[]>();
  for (const cartId of context.state.expected.keys()) {
    const entries = await journal.audit(cartId);
    logged.set(
      cartId,
      entries.map((entry) => ({ at: entry.recordedAt, operation: entry.operation, actor: entry.actor, reason: entry.reason })),
    );
  }
  observeCoverage(context, journal.spec, auditCoverage(context.state.expected, logged));
  const trail = (logged.get(targetCartId) ?? []).map((entry) => [entry.at, entry.operation, entry.actor, entry.reason]);
  context.evidence(id, trailEvidence(journal.spec, targetCartId, trail));
}
