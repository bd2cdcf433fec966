import type { CartView } from "../../../services/cart/index.ts";
import { cdcTopics } from "../../../services/crud-cdc/cdc-variant.ts";
import type { CdcTopics } from "../../../services/crud-cdc/cdc-variant.ts";
import type { WriteDesign } from "../../../services/designs/cart-designs.ts";
import { LabError } from "../../../services/platform/errors.ts";
import type { OpenedSubject, StepContext } from "../../model/scenario.ts";
import type { WorkloadCommand } from "../../workload/cart-workload.ts";
import { recordCommand, sameView } from "./cart-record.ts";
import type { CartRecord, RecordedCommand } from "./cart-record.ts";

/** The journal answers for the event-sourced subject; every other subject writes the CRUD tables. */
export function writeDesignOf(subject: OpenedSubject): WriteDesign {
  return subject.spec.design === "es" ? "es" : "crud";
}

/** What the subject's application holds now: the journal, or the CRUD tables. */
export function currentView(subject: OpenedSubject, cartId: string): Promise<CartView | null> {
  return subject.designs.state(writeDesignOf(subject), cartId, null);
}

/** The topics of a CDC subject, named as `openSubject` named its variant. */
export function subjectTopics(subject: OpenedSubject): CdcTopics {
  return cdcTopics({ name: subject.crudSchema.replace(/_crud$/, ""), schema: subject.crudSchema, ...subject.spec.variant });
}

/**
 * One command through every live subject's application, in turn, and into the runner's record.
 * All subjects share one timeline, so a time the runner marks means the same for each of them.
 * A subject whose answer differs from the rules' is failed: its state could no longer be
 * compared with the record.
 */
export async function applyToAll<S>(context: StepContext<S>, record: CartRecord, entry: WorkloadCommand): Promise<RecordedCommand> {
  const recorded = recordCommand(record, entry.command);
  await context.each(async (subject) => {
    const result = await subject.designs.applyRaw(writeDesignOf(subject), entry.command, entry.metadata);
    if (result.ok !== recorded.accepted) {
      throw new LabError("ComponentFailed", `${subject.spec.id} answered ${JSON.stringify(result)} to ${JSON.stringify(entry.command)}, the rules ${recorded.accepted ? "accept" : "reject"} it`, {
        details: { subject: subject.spec.id, command: entry.command },
      });
    }
  });
  return recorded;
}

/** Fails the subject unless it holds what the record says for every cart: the premise of "restore to the last valid state". */
export async function requireRecordedState(subject: OpenedSubject, expected: ReadonlyMap<string, CartView | null>, read: (cartId: string) => Promise<CartView | null>): Promise<void> {
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
