import { LabError } from "../../../services/platform/errors.ts";
import { recordCommand, recordedViews } from "../../kit/cart-record.ts";
import type { CartRecord, RecordedCommand } from "../../kit/cart-record.ts";
import { applyToAll } from "../../kit/subject-state.ts";
import type { StepContext } from "../../model/scenario.ts";
import type { SubjectId } from "../../model/subjects.ts";
import type { WorkloadCommand } from "../../workload/cart-workload.ts";
import type { FoundDiscount } from "./bad-discount-finder.ts";

/** recover.bad-deploy's working state for one run. */
export interface BadDeployRun {
  /** One seeded sequence; the phases before, during and after the deploy are slices of it. */
  workload: WorkloadCommand[];
  /** What happened, bug included: the subjects must hold this. */
  actual: CartRecord;
  /** The same commands as they were meant: each cart as it would be without the bug. */
  intended: CartRecord;
  window: { from: number; to: number } | null;
  /** The truth: carts where the bad version's −1000¢ discount was accepted. */
  affected: Set<string>;
  found: Map<SubjectId, FoundDiscount[]>;
  fixStartedAt: number | null;
  /** Per subject: the carts the fix went through for, with the number of commands it took. */
  fixed: Map<SubjectId, Map<string, number>>;
}

/** Applies a command as it happened to the subjects and the actual record, and as it was meant to the intended record. */
export async function applyBoth(context: StepContext<BadDeployRun>, happened: WorkloadCommand, meant: WorkloadCommand = happened): Promise<RecordedCommand> {
  recordCommand(context.state.intended, meant.command);
  return applyToAll(context, context.state.actual, happened);
}

export function openCartsWithLines(record: CartRecord): { cartId: string; sku: string }[] {
  return [...recordedViews(record).values()].flatMap((view) => (view !== null && view.status === "open" && view.items[0] !== undefined ? [{ cartId: view.cartId, sku: view.items[0].sku }] : []));
}

export function requireWindow(run: BadDeployRun): { from: number; to: number } {
  if (run.window === null) throw new LabError("ComponentFailed", "the bad deploy's window was never marked");
  return run.window;
}
