import type { CartView } from "../../services/cart/index.ts";
import { LabError } from "../../services/platform/errors.ts";
import type { OpenedSubject, StepContext } from "../model/scenario.ts";
import type { WorkloadCommand } from "../workload/cart-workload.ts";
import { recordCommand, sameView } from "./cart-record.ts";
import type { CartRecord, RecordedCommand } from "./cart-record.ts";

/**
 * One command through every live subject's application, in turn, and into the runner's record.
 * All subjects share one timeline, so a time the runner marks means the same for each of them.
 * A subject whose answer differs from the rules' is failed: its state could no longer be
 * compared with the record.
 */
export async function applyToAll<S>(context: StepContext<S>, record: CartRecord, entry: WorkloadCommand): Promise<RecordedCommand> {
  const recorded = recordCommand(record, entry.command);
  await context.each(async (subject) => {
    const result = await subject.driver.apply(entry.command, entry.metadata);
    if (result.ok !== recorded.accepted) {
      throw new LabError("ComponentFailed", `${subject.spec.id} answered ${JSON.stringify(result)} to ${JSON.stringify(entry.command)}, the rules ${recorded.accepted ? "accept" : "reject"} it`, {
        details: { subject: subject.spec.id, command: entry.command },
      });
    }
  });
  return recorded;
}

/**
 * Fails the subject unless it holds what the record says for every cart: the premise of
 * "restore to the last valid state". `read` says where to look (the application's state by
 * default; a scenario about hand edits reads the state tables an operator sees).
 */
export async function requireRecordedState(
  subject: OpenedSubject,
  expected: ReadonlyMap<string, CartView | null>,
  read: (cartId: string) => Promise<CartView | null> = (cartId) => subject.driver.current(cartId),
): Promise<void> {
  const differing: string[] = [];
  for (const [cartId, view] of expected) {
    if (!sameView(await read(cartId), view)) differing.push(cartId);
  }
  if (differing.length > 0) {
    throw new LabError("ComponentFailed", `${subject.spec.id} does not hold the recorded state of ${differing.length} carts (${differing.slice(0, 5).join(", ")})`, {
      details: { subject: subject.spec.id, carts: differing },
    });
  }
}
