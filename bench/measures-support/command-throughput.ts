import type { WriteDesign, CartDesigns } from "../../services/designs/cart-designs.ts";
import type { WorkloadCommand } from "../../scenarios/workload/cart-workload.ts";
import type { BenchContext, Measure } from "../harness/benchmark.ts";
import { repeat } from "../harness/repeat.ts";
import { acceptedCartWorkload } from "./accepted-workload.ts";
import { measureOf } from "./bench-measure.ts";
import { requiredBaseline } from "./required-baseline.ts";
import { DESIGNS_POOL_SIZE } from "./scratch-designs.ts";
import { lanesByKey, perOperationSettings, profiled, runLanes } from "./writer-lanes.ts";

/**
 * Commands per second of one design: the cart workload's sessions (adds, removes, discounts,
 * price corrections, checkouts), only the commands the rules accept so each one writes, through
 * the design's handler, each writer taking the commands of its own carts, so writers never wait
 * on each other's cart. Every repetition works on new carts, so each starts from the same state.
 */
const COMMANDS = { quick: 200, full: 2_500 } as const;
const CARTS = { quick: 40, full: 100 } as const;
const SEED = 8;

export interface CommandMeasureSpec {
  design: WriteDesign;
  writers: number;
  id: string;
  label: string;
  /** What one command does, in the design's words. */
  operation: string;
  target: number;
}

export async function commandMeasure(context: BenchContext, designs: CartDesigns, spec: CommandMeasureSpec): Promise<Measure> {
  const commands = context.quick ? COMMANDS.quick : COMMANDS.full;
  const carts = context.quick ? CARTS.quick : CARTS.full;
  const workload = (round: string, count: number) =>
    lanesByKey(acceptedCartWorkload({ seed: SEED, carts, commands: count, cartPrefix: `${spec.design}-w${spec.writers}-${round}-` }), spec.writers, (entry) => String(entry.command["cartId"]));
  const apply = (lanes: readonly (readonly WorkloadCommand[])[]) => runLanes(lanes, (entry) => designs.applyRaw(spec.design, entry.command, entry.metadata));
  const warmUpCommands = Math.max(spec.writers * 10, Math.floor(commands / 5));
  // Made before the clock starts: the timed part is the handler's work only.
  const rounds = Array.from({ length: context.repetitions }, (_, index) => workload(`r${index + 1}`, commands));
  const repeated = await repeat(context, {
    name: `${spec.design} command, ${spec.writers} writer(s)`,
    unit: "commands/s",
    writers: spec.writers,
    warmUp: async () => {
      await apply(workload("warm", warmUpCommands));
      return warmUpCommands;
    },
    once: (repetition) => apply(rounds[repetition - 1] ?? []),
  });
  return profiled(measureOf(
    {
      id: spec.id,
      label: spec.label,
      unit: "commands/s",
      better: "higher",
      baseline: requiredBaseline(context, `baseline.insert.w${spec.writers}`),
      target: spec.target,
      settings: {
        operation: spec.operation,
        writers: spec.writers,
        poolSize: DESIGNS_POOL_SIZE,
        commandsPerRepetition: commands,
        openCarts: carts,
        workload: "cart sessions (seeded): adds, removes, discounts, price corrections, checkouts; only commands the rules accept, so every command writes",
        connector: "not registered",
        ...perOperationSettings(repeated.perOperation),
      },
    },
    repeated.samples,
  ), repeated);
}
