import type { CartCommandResult } from "../../services/cart/index.ts";
import { LabError } from "../../services/platform/errors.ts";
import type { PlannedCommand } from "../../scenarios/catalog/lag.read-model/load-plan.ts";

/**
 * Applies planned commands as fast as `writers` concurrent writers go, each writer taking the
 * commands of its own carts in workload order (a cart's commands never overlap, so no writer
 * waits on another's row lock and the rules see each cart's commands as planned). Every answer
 * is checked against the plan: a write the rules accept must be accepted, and the other way
 * round. Resolves with the commands per second.
 */
export async function writeInLanes(
  commands: readonly PlannedCommand[],
  writers: number,
  apply: (command: unknown, metadata: unknown) => Promise<CartCommandResult>,
  what: string,
): Promise<number> {
  const lanes: PlannedCommand[][] = Array.from({ length: writers }, () => []);
  for (const planned of commands) lanes[laneOf(planned.lane, writers)]?.push(planned);
  const startedAt = performance.now();
  await Promise.all(
    lanes.map(async (lane) => {
      for (const planned of lane) {
        const result = await apply(planned.entry.command, planned.entry.metadata);
        if (result.ok !== planned.accepted) {
          throw new LabError("ComponentFailed", `${what} answered ${JSON.stringify(result)} to ${JSON.stringify(planned.entry.command)}; the rules ${planned.accepted ? "accept" : "reject"} it`);
        }
      }
    }),
  );
  return commands.length / Math.max((performance.now() - startedAt) / 1000, 0.001);
}

function laneOf(cartId: string, writers: number): number {
  let hash = 0;
  for (const char of cartId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % writers;
}
