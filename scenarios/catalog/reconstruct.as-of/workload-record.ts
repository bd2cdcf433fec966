import { decide, evolve, initialCartState, parseCommand, toCartView } from "../../../services/cart/index.ts";
import type { CartState, CartView } from "../../../services/cart/index.ts";
import { LabError } from "../../../services/platform/errors.ts";
import type { AsOf } from "../../kit/drivers/subject-driver.ts";
import type { WorkloadCommand } from "../../workload/cart-workload.ts";

/**
 * The runner's own record of the workload for reconstruct.as-of: every cart after each of its
 * writes, and the probed carts at each probe point, without asking any design.
 */
export interface WorkloadRecord {
  workload: WorkloadCommand[];
  /** Probe point k lies after command `(k + 1) * probeEvery - 1`; its expected views of the probed carts that existed then. */
  probePoints: { afterCommand: number; views: Map<string, CartView> }[];
  /** Every cart's view after each of its writes: index v - 1 is version v. */
  versions: Map<string, CartView[]>;
  probedCartIds: string[];
  /** Every cart the workload wrote to, and how it ended. */
  finalViews: Map<string, CartView>;
}

export function recordWorkload(workload: WorkloadCommand[], probeEvery: number): WorkloadRecord {
  const states = new Map<string, CartState>();
  const versions = new Map<string, CartView[]>();
  const probePoints: WorkloadRecord["probePoints"] = [];
  const cartIds: string[] = [];
  for (const [index, entry] of workload.entries()) {
    const parsed = parseCommand(entry.command);
    if (parsed.ok) {
      const { cartId } = parsed.command;
      const before = states.get(cartId) ?? initialCartState();
      const decision = decide(parsed.command, before);
      if (decision.ok && decision.events.length > 0) {
        const after = decision.events.reduce(evolve, before);
        const view = toCartView(after);
        if (view === null) throw new Error(`the record of cart ${cartId} is empty after a write`);
        states.set(cartId, after);
        if (!versions.has(cartId)) cartIds.push(cartId);
        versions.set(cartId, [...(versions.get(cartId) ?? []), view]);
      }
    }
    if ((index + 1) % probeEvery === 0) {
      const views = new Map<string, CartView>();
      for (const [cartId, cartVersions] of versions) {
        const latest = cartVersions.at(-1);
        if (latest !== undefined) views.set(cartId, latest);
      }
      probePoints.push({ afterCommand: index, views });
    }
  }
  // Every other cart, in the order the workload opened them: early and late carts alike.
  const probedCartIds = cartIds.filter((_cartId, index) => index % 2 === 0);
  for (const point of probePoints) {
    for (const cartId of point.views.keys()) if (!probedCartIds.includes(cartId)) point.views.delete(cartId);
  }
  const finalViews = new Map<string, CartView>();
  for (const [cartId, cartVersions] of versions) {
    const latest = cartVersions.at(-1);
    if (latest !== undefined) finalViews.set(cartId, latest);
  }
  return { workload, probePoints, versions, probedCartIds, finalViews };
}

/** A probe: one question with exactly one right answer in the record. */
export interface Probe {
  cartId: string;
  asOf: AsOf;
  expected: CartView;
}

export function probesOf(record: WorkloadRecord, probeTimes: readonly number[]): Probe[] {
  const probes: Probe[] = [];
  for (const [index, point] of record.probePoints.entries()) {
    const at = probeTimes[index];
    if (at === undefined) throw new LabError("UsageInvalid", `probe point ${index} was never reached`);
    for (const [cartId, expected] of point.views) probes.push({ cartId, asOf: { at }, expected });
  }
  for (const cartId of record.probedCartIds) {
    const cartVersions = record.versions.get(cartId) ?? [];
    // The first, a middle and the last version: the ends are where a late start or compaction shows.
    for (const version of new Set([1, Math.ceil(cartVersions.length / 2), cartVersions.length])) {
      const expected = cartVersions[version - 1];
      if (expected !== undefined) probes.push({ cartId, asOf: { version }, expected });
    }
  }
  return probes;
}
