import { decide, evolve, initialCartState, parseCommand } from "../../../services/cart/index.ts";
import type { CartState } from "../../../services/cart/index.ts";
import type { WorkloadCommand } from "../../workload/cart-workload.ts";
import { seededRandom } from "../../workload/seeded-random.ts";

/**
 * The runner's own record for audit.intent: the changes it asked for, who asked and why, and
 * how a design's log compares with it change by change.
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

export interface DirectEditTarget {
  cartId: string;
  sku: string;
}

const CUSTOMER_REASONS = ["customer request", "cart recovery email", "price comparison", "gift order"] as const;

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
