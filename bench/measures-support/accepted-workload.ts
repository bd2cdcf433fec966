import { randomUUID } from "node:crypto";
import { decide, fold, initialCartState, parseCommandInput } from "../../services/cart/index.ts";
import type { CartState } from "../../services/cart/index.ts";
import { generateCartWorkload } from "../../scenarios/workload/cart-workload.ts";
import type { WorkloadCommand } from "../../scenarios/workload/cart-workload.ts";
import { LabError } from "../../services/platform/errors.ts";

/**
 * The cart workload's sessions, keeping only the commands the rules accept with a change: about
 * half of the raw workload is rejected (a remove of a missing line, a revoke of an absent
 * discount, a late command on a checked-out cart) or invalid at the edge, and such a command
 * loads and decides but writes nothing. A command measure compared with a raw INSERT must write
 * every time, so the rules (pure, services/cart) are run here first and the rest dropped.
 */
export function acceptedCartWorkload(options: { seed: number; carts: number; commands: number; cartPrefix: string }): WorkloadCommand[] {
  // About half of the raw commands write: three times as many leave room for any seed.
  const raw = generateCartWorkload({ ...options, commands: options.commands * 3 });
  const states = new Map<string, CartState>();
  const accepted: WorkloadCommand[] = [];
  for (const entry of raw) {
    if (accepted.length === options.commands) break;
    const parsed = parseCommandInput(entry.command, entry.metadata, new Date().toISOString(), randomUUID);
    if (!parsed.ok) continue;
    const state = states.get(parsed.command.cartId) ?? initialCartState();
    const decision = decide(parsed.command, state);
    if (!decision.ok || decision.events.length === 0) continue;
    states.set(parsed.command.cartId, fold(decision.events, state));
    accepted.push(entry);
  }
  if (accepted.length < options.commands) {
    throw new LabError("ComponentFailed", `the cart workload (seed ${options.seed}) gave ${accepted.length} accepted commands, ${options.commands} were asked for`);
  }
  return accepted;
}
