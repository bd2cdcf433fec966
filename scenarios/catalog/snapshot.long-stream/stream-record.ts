import type { CartView } from "../../../services/cart/index.ts";
import { LabError } from "../../../services/platform/errors.ts";
import { createCartRecord, recordCommand, recordedView } from "../../kit/cart-record.ts";
import type { WorkloadCommand } from "../../workload/cart-workload.ts";
import { longStreamCommand } from "./long-stream.ts";

/** What the runner expects of the long cart at one length of the curve, from the pure rules alone. */
export interface StreamStage {
  /** The cart's changes (= its version) once the stage is written. */
  length: number;
  /** The commands that grow the cart from the previous stage's length to this one. */
  commands: WorkloadCommand[];
  /** The cart after `length` changes. */
  expected: CartView;
  /** The past version asked of the cart at this length: half of it. */
  pastVersion: number;
  /** The cart after `pastVersion` changes. */
  expectedPast: CartView;
}

/**
 * Decides the whole long stream with the rules (no store involved) and keeps the views each
 * stage is checked against. Throws when a command would be rejected or decided into other than
 * one event: then "length" would no longer be both the journal's version and the number of
 * CDC transactions, and the curve would compare different things.
 */
export function recordLongStream(cartId: string, lengths: readonly number[]): StreamStage[] {
  const record = createCartRecord();
  const stages: StreamStage[] = [];
  const pastViews = new Map<number, CartView>();
  const pastVersions = new Set(lengths.map(pastVersionOf));
  let index = 0;
  for (const length of lengths) {
    if (!(Number.isInteger(length) && length > index)) {
      throw new LabError("UsageInvalid", `stream lengths must be increasing integers, got ${lengths.join(", ")}`, { details: { lengths } });
    }
    const commands: WorkloadCommand[] = [];
    for (; index < length; index += 1) {
      const entry = longStreamCommand(cartId, index);
      const recorded = recordCommand(record, entry.command);
      if (!recorded.accepted || recorded.events.length !== 1) {
        throw new LabError("UsageInvalid", `change ${index} of the long stream is ${recorded.accepted ? `decided into ${recorded.events.length} events` : "rejected"}, not one event`, {
          details: { command: entry.command },
        });
      }
      commands.push(entry);
      if (pastVersions.has(index + 1)) pastViews.set(index + 1, viewOf(recordedView(record, cartId), cartId));
    }
    const pastVersion = pastVersionOf(length);
    stages.push({ length, commands, expected: viewOf(recordedView(record, cartId), cartId), pastVersion, expectedPast: viewOf(pastViews.get(pastVersion) ?? null, cartId) });
  }
  return stages;
}

function pastVersionOf(length: number): number {
  return Math.max(1, Math.floor(length / 2));
}

function viewOf(view: CartView | null, cartId: string): CartView {
  if (view === null) throw new LabError("UsageInvalid", `the record holds no cart ${cartId} after a write`);
  return view;
}
