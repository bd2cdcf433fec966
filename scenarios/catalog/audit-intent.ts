import { decide, evolve, initialCartState, parseCommand } from "../../services/cart/index.ts";
import type { CartState } from "../../services/cart/index.ts";
import { buildCdcHistory, cdcAudit } from "../../services/crud-cdc/cdc-history.ts";
import type { CdcHistory } from "../../services/crud-cdc/cdc-history.ts";
import { cdcTopics } from "../../services/crud-cdc/cdc-variant.ts";
import { crudTables } from "../../services/crud-cdc/crud/crud-tables.ts";
import { createCartSummaryProjection } from "../../services/event-sourced/cart-summary-projection.ts";
import { cartStreamId } from "../../services/event-sourced/cart-stream.ts";
import { createCartUpcasters } from "../../services/event-sourced/cart-upcasters.ts";
import { journalSchema } from "../../services/event-sourced/journal-schema.ts";
import { createPostgresEventJournal } from "../../services/event-sourced/postgres-event-journal.ts";
import { LabError } from "../../services/platform/errors.ts";
import { waitFor } from "../../services/platform/wait-for.ts";
import type { Evidence, SubjectOutcome, Verdict } from "../model/observations.ts";
import { SIZES } from "../model/scenario.ts";
import type { OpenedSubject, Scenario, StepContext } from "../model/scenario.ts";
import type { SubjectId } from "../model/subjects.ts";
import { generateCartWorkload } from "../workload/cart-workload.ts";
import type { WorkloadCommand } from "../workload/cart-workload.ts";
import { seededRandom } from "../workload/seeded-random.ts";

/**
 * audit.intent: "For each change: which operation, who, why, when?" Every subject gets the same
 * workload, every command naming its actor and most giving a reason; then an operator changes a
 * price with SQL behind the application's back. Each design's log is read back and compared,
 * change by change, with what the runner knows it asked for.
 */

/** A change the runner made through the application: what a complete audit log would say of it. */
export interface ExpectedChange {
  /** The event types the command was decided into, joined with "+" (one, in this domain). */
  operation: string;
  actor: string;
  reason: string | null;
}

/** A change as a design's log gives it; null where the log cannot tell. */
export interface LoggedChange {
  at: string;
  operation: string | null;
  actor: string | null;
  reason: string | null;
}

export interface AuditCoverage {
  changesMade: number;
  changesInLog: number;
  operationKnown: number;
  actorKnown: number;
  commandsWithReason: number;
  reasonKnown: number;
}

interface DirectEditTarget {
  cartId: string;
  sku: string;
}

interface AuditState {
  workload: WorkloadCommand[];
  /** Per cart, in order: the changes the workload made (rejected and no-op commands write nothing). */
  expected: Map<string, ExpectedChange[]>;
  /** A cart still open at the end, with a line the operator can reprice. */
  target: DirectEditTarget | null;
  /** The operator's transaction per CRUD subject, as Debezium names it (32-bit xid). */
  directEditTx: Map<SubjectId, number>;
}

const CART_PREFIX = "cart-";
const CUSTOMER_REASONS = ["customer request", "cart recovery email", "price comparison", "gift order"] as const;
const CATCH_UP_TIMEOUT_MS = 60_000;
const DIRECT_EDIT_PRICE_CENTS = 1;

/** The seeded workload with a reason on most customer commands (pricing and operator commands carry one already). */
export function workloadWithReasons(workload: readonly WorkloadCommand[], seed: number): WorkloadCommand[] {
  const random = seededRandom(seed);
  return workload.map((entry) => {
    const give = random.chance(0.6);
    if (entry.metadata.reason !== undefined || !give) return entry;
    return { command: entry.command, metadata: { ...entry.metadata, reason: random.pick(CUSTOMER_REASONS) } };
  });
}

/** The runner's own record: per cart, the changes it asked for, and who asked and why. */
export function expectedChanges(workload: readonly WorkloadCommand[]): { expected: Map<string, ExpectedChange[]>; target: DirectEditTarget | null } {
  const states = new Map<string, CartState>();
  const expected = new Map<string, ExpectedChange[]>();
  for (const entry of workload) {
    const parsed = parseCommand(entry.command);
    if (!parsed.ok) continue;
    const { cartId } = parsed.command;
    const before = states.get(cartId) ?? initialCartState();
    const decision = decide(parsed.command, before);
    if (!decision.ok || decision.events.length === 0) continue;
    states.set(cartId, decision.events.reduce(evolve, before));
    const changes = expected.get(cartId) ?? [];
    expected.set(cartId, changes);
    changes.push({ operation: decision.events.map((event) => event.type).join("+"), actor: entry.metadata.actor, reason: entry.metadata.reason ?? null });
  }
  let target: DirectEditTarget | null = null;
  for (const [cartId, state] of states) {
    const line = state.status === "open" ? state.items[0] : undefined;
    if (line !== undefined) {
      target = { cartId, sku: line.sku };
      break;
    }
  }
  return { expected, target };
}

/**
 * Compares a log with the record, cart by cart and change by change: the k-th change a log holds
 * for a cart is the k-th change made to it (commands on one cart ran one after another). A
 * change missing from the log counts as unknown in every column.
 */
export function auditCoverage(expected: ReadonlyMap<string, readonly ExpectedChange[]>, logged: ReadonlyMap<string, readonly LoggedChange[]>): AuditCoverage {
  const coverage: AuditCoverage = { changesMade: 0, changesInLog: 0, operationKnown: 0, actorKnown: 0, commandsWithReason: 0, reasonKnown: 0 };
  for (const [cartId, changes] of expected) {
    const entries = logged.get(cartId) ?? [];
    coverage.changesInLog += Math.min(entries.length, changes.length);
    for (const [index, change] of changes.entries()) {
      const entry = entries[index];
      coverage.changesMade += 1;
      if (change.reason !== null) coverage.commandsWithReason += 1;
      if (entry === undefined) continue;
      if (entry.operation === change.operation) coverage.operationKnown += 1;
      if (entry.actor === change.actor) coverage.actorKnown += 1;
      if (change.reason !== null && entry.reason === change.reason) coverage.reasonKnown += 1;
    }
  }
  return coverage;
}

function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : (100 * part) / whole;
}

function observeCoverage(context: StepContext<AuditState>, id: SubjectId, coverage: AuditCoverage): void {
  context.observe(id, "changesMade", coverage.changesMade, "count");
  context.observe(id, "changesInLog", coverage.changesInLog, "count");
  context.observe(id, "commandsWithReason", coverage.commandsWithReason, "count");
  context.observe(id, "operationKnownPercent", percent(coverage.operationKnown, coverage.changesMade), "percent");
  context.observe(id, "actorKnownPercent", percent(coverage.actorKnown, coverage.changesMade), "percent");
  // Over the commands that gave a reason: a log cannot be blamed for a reason nobody gave.
  context.observe(id, "reasonKnownPercent", percent(coverage.reasonKnown, coverage.commandsWithReason), "percent");
}

function trailEvidence(subject: OpenedSubject, cartId: string, rows: Evidence["rows"]): Evidence {
  return { id: "audit-trail", title: `Audit trail of cart ${cartId} as ${subject.spec.label} gives it`, columns: ["time", "operation", "actor", "reason"], rows };
}

/** The 32 bits of a transaction id that logical decoding (and so Debezium's txId) carries. */
function xid32(fullTransactionId: string): number {
  return Number(BigInt(fullTransactionId) % 2n ** 32n);
}

function requireTarget(state: AuditState): DirectEditTarget {
  if (state.target === null) throw new LabError("UsageInvalid", "the workload left no open cart with a line for the operator to edit; use a larger size");
  return state.target;
}

async function readCdcHistory(subject: OpenedSubject): Promise<CdcHistory> {
  // Kafka is the CDC design's only history; the variant is named after the CRUD schema, as the runner names it.
  const topics = cdcTopics({ name: subject.crudSchema.replace(/_crud$/, ""), schema: subject.crudSchema, ...subject.spec.variant });
  return buildCdcHistory(await subject.designs.changeFeed.readToEnd(topics.all));
}

async function editCrudTables(context: StepContext<AuditState>, subject: OpenedSubject): Promise<void> {
  const { cartId, sku } = requireTarget(context.state);
  const tables = crudTables(subject.crudSchema);
  const xid = await subject.designs.knex.transaction(async (trx) => {
    const updated = await trx.raw<{ rowCount: number }>(`UPDATE ${tables.cartItems} SET unit_price_cents = ? WHERE cart_id = ? AND sku = ?`, [DIRECT_EDIT_PRICE_CENTS, cartId, sku]);
    if (updated.rowCount !== 1) throw new LabError("ComponentFailed", `the operator's UPDATE of cart ${cartId} line ${sku} changed ${updated.rowCount} rows, not 1`);
    const transaction = await trx.raw<{ rows: { xid: string }[] }>("SELECT pg_current_xact_id()::text AS xid");
    const full = transaction.rows[0]?.xid;
    if (full === undefined) throw new LabError("ComponentFailed", "PostgreSQL did not name the operator's transaction");
    return xid32(full);
  });
  context.state.directEditTx.set(subject.spec.id, xid);
}

async function editEventSourced(context: StepContext<AuditState>, subject: OpenedSubject): Promise<void> {
  const { cartId } = requireTarget(context.state);
  const id = subject.spec.id;
  const { pool } = subject.designs;
  const schema = journalSchema(subject.journalSchema);
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
  context.observe(id, "journalEditRefused", refused, "boolean");

  // What an operator can edit in this design is a read model: bring it up to date, then edit it.
  const journal = createPostgresEventJournal({ pool, schema: subject.journalSchema, upcasters: createCartUpcasters() });
  await createCartSummaryProjection({ pool, schema: subject.journalSchema, journal }).catchUp();
  const edited = await pool.query(`UPDATE ${schema.cartSummaries} SET total_cents = $2 WHERE cart_id = $1`, [cartId, DIRECT_EDIT_PRICE_CENTS]);
  context.observe(id, "readModelRowsEdited", edited.rowCount ?? 0, "count");

  const unchanged = (await fingerprint()) === before;
  context.observe(id, "journalUnchanged", unchanged, "boolean");
  context.observe(id, "directEditVisible", !unchanged, "boolean");
  // Nothing reached the journal, so there is nothing to attribute: null, not a guess.
  context.observe(id, "directEditAttributed", unchanged ? null : false, "boolean");
}

function countTransactions(history: CdcHistory, except: number): number {
  let count = 0;
  for (const transactions of history.values()) count += transactions.filter((transaction) => transaction.txId !== except).length;
  return count;
}

async function auditCdc(context: StepContext<AuditState>, subject: OpenedSubject): Promise<void> {
  const id = subject.spec.id;
  const { cartId: targetCartId } = requireTarget(context.state);
  const directTx = context.state.directEditTx.get(id);
  if (directTx === undefined) throw new LabError("UsageInvalid", `${id} has no direct edit to look for`);
  const history = await readCdcHistory(subject);
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
  observeCoverage(context, id, auditCoverage(context.state.expected, logged));

  const direct = (history.get(targetCartId) ?? []).find((transaction) => transaction.txId === directTx);
  const directAudit = direct === undefined ? undefined : cdcAudit([direct])[0];
  context.observe(id, "directEditVisible", direct !== undefined, "boolean");
  context.observe(id, "directEditAttributed", directAudit === undefined ? null : directAudit.actor !== null, "boolean");
  // REPLICA IDENTITY FULL puts the old row in `before`; DEFAULT sends the new row only.
  const oldPrice = direct?.changes.find((change) => change.table === "cart_items")?.before?.["unit_price_cents"];
  context.observe(id, "directEditOldValueKnown", oldPrice !== undefined && oldPrice !== null, "boolean");
  context.evidence(id, trailEvidence(subject, targetCartId, trail));
}

async function auditEventSourced(context: StepContext<AuditState>, subject: OpenedSubject): Promise<void> {
  const id = subject.spec.id;
  const { cartId: targetCartId } = requireTarget(context.state);
  const logged = new Map<string, LoggedChange[]>();
  for (const cartId of context.state.expected.keys()) {
    const entries = await subject.designs.audit("es", cartId);
    logged.set(
      cartId,
      entries.map((entry) => ({ at: entry.recordedAt, operation: entry.operation, actor: entry.actor, reason: entry.reason })),
    );
  }
  observeCoverage(context, id, auditCoverage(context.state.expected, logged));
  const trail = (logged.get(targetCartId) ?? []).map((entry) => [entry.at, entry.operation, entry.actor, entry.reason]);
  context.evidence(id, trailEvidence(subject, targetCartId, trail));
}

function percentObservation(outcome: SubjectOutcome, name: string): number | null {
  const observation = outcome.observations[name];
  if (observation === undefined) throw new LabError("DecodeFailed", `${outcome.subject} has no observation ${name}`);
  const { value } = observation;
  if (value !== null && typeof value !== "number") throw new LabError("DecodeFailed", `${outcome.subject}'s ${name} is not a number: ${JSON.stringify(value)}`);
  return value;
}

/** One decimal, rounded down, so a figure never shows 100% while a change went unattributed. */
function percentFigure(value: number | null): string {
  return value === null ? "n/a" : `${Math.floor(value * 10) / 10}%`;
}

export function judgeAudit(outcome: SubjectOutcome): Verdict {
  const actor = percentObservation(outcome, "actorKnownPercent");
  const reason = percentObservation(outcome, "reasonKnownPercent");
  const figure = `actor ${percentFigure(actor)}, reason ${percentFigure(reason)}`;
  if (actor === 100 && reason === 100) return { symbol: "full", figure };
  if (actor === null || actor === 0) return { symbol: "none", figure };
  return { symbol: "partial", figure };
}

export const auditIntent: Scenario<AuditState> = {
  id: "audit.intent",
  claim: "For each change: which operation, who, why, when? Each design's log is read back change by change, with an operator's direct SQL edit among them.",
  subjects: ["es", "cdc-plain", "cdc-intent", "cdc-default"],
  init(run) {
    const scale = SIZES[run.size];
    const workload = workloadWithReasons(generateCartWorkload({ seed: run.seed, carts: 5 * scale, commands: 120 * scale, cartPrefix: CART_PREFIX }), run.seed + 1);
    const { expected, target } = expectedChanges(workload);
    return { workload, expected, target, directEditTx: new Map() };
  },
  steps: [
    {
      actor: "app",
      does: "applies the workload to every subject, every command naming its actor and most a reason",
      run: (context) =>
        context.each(async (subject) => {
          const design = subject.spec.design === "es" ? "es" : "crud";
          // Rejections are part of the workload; the record already knows which commands write.
          for (const entry of context.state.workload) await subject.designs.applyRaw(design, entry.command, entry.metadata);
        }),
    },
    {
      actor: "operator",
      does: "reprices a line with SQL behind the application's back (the journal refuses; the ES read model does not)",
      run: (context) => context.each((subject) => (subject.spec.design === "es" ? editEventSourced(context, subject) : editCrudTables(context, subject))),
    },
    {
      actor: "debezium",
      does: "streams every change, the operator's included, to Kafka (waits until the topics hold them all)",
      run: (context) =>
        context.each(async (subject) => {
          if (subject.spec.design !== "cdc") return;
          const { cartId } = requireTarget(context.state);
          const directTx = context.state.directEditTx.get(subject.spec.id);
          const made = [...context.state.expected.values()].reduce((sum, changes) => sum + changes.length, 0);
          await waitFor(
            async () => {
              const history = await readCdcHistory(subject);
              const edited = (history.get(cartId) ?? []).some((transaction) => transaction.txId === directTx);
              return edited && countTransactions(history, directTx ?? -1) >= made ? true : undefined;
            },
            { what: `${subject.spec.id}'s topics to hold every change and the operator's edit`, timeoutMs: CATCH_UP_TIMEOUT_MS, intervalMs: 500 },
          );
        }),
    },
    {
      actor: "operator",
      does: "reads each design's log back: operation, actor, reason and time of every change",
      run: (context) => context.each((subject) => (subject.spec.design === "es" ? auditEventSourced(context, subject) : auditCdc(context, subject))),
    },
  ],
  judge: judgeAudit,
  headline: { observation: "actorKnownPercent", unit: "percent", label: "changes with a known actor (%)" },
};
