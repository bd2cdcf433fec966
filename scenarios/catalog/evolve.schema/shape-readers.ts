import type { CartView } from "../../../services/cart/index.ts";
import { decodeCartDiscount, decodeCartLineAs, decodeCartRow } from "../../../services/crud-cdc/crud/crud-cart-rows.ts";
import type { CartLineLayout } from "../../../services/crud-cdc/crud/crud-cart-rows.ts";
import { crudTableNames } from "../../../services/crud-cdc/crud/crud-tables.ts";
import type { ChangeEvent, RowChangeEvent } from "../../../services/crud-cdc/change-event.ts";
import { centsRelease, decimalPriceRelease } from "../../../services/event-sourced/cart-event-codec.ts";
import type { CartEventRelease } from "../../../services/event-sourced/cart-event-codec.ts";
import { createCartUpcasters, createDecimalPriceUpcasters } from "../../../services/event-sourced/cart-upcasters.ts";
import type { UpcasterRegistry } from "../../../services/event-sourced/upcasters.ts";
import { isLabError } from "../../../services/platform/errors.ts";
import { percent } from "../../kit/figures.ts";

/**
 * The readers evolve.schema puts to each design's history, and the pure parts of reading it.
 * `current`: the code after the change, which knows every shape the history holds.
 * `oldShape`: a consumer built before the change (the old release, a downstream service).
 * `newShapeOnly`: one built for the new shape alone (for the journal, the new release without
 * the upcaster from the old version: the naive deploy).
 */
export const SHAPE_READERS = ["current", "oldShape", "newShapeOnly"] as const;
export type ShapeReader = (typeof SHAPE_READERS)[number];

/** What each reader of the journal is: the upcasters its journal reads with, and the release whose decoder it runs. */
export const journalReaders: { readonly [R in ShapeReader]: { upcasters: () => UpcasterRegistry; release: CartEventRelease } } = {
  current: { upcasters: createDecimalPriceUpcasters, release: decimalPriceRelease },
  oldShape: { upcasters: createCartUpcasters, release: centsRelease },
  // The chain without its new step (ItemAdded v2 -> v3, PriceCorrected v1 -> v2).
  newShapeOnly: { upcasters: createCartUpcasters, release: decimalPriceRelease },
};

/** The `cart_items` column layout each reader of the topics knows (`every`: the current code's row-image reader). */
export const topicReaders: { readonly [R in ShapeReader]: CartLineLayout | "every" } = {
  current: "every",
  oldShape: "cents",
  newShapeOnly: "decimal",
};

/** Where in the change a probe's time lies: before the deploy, between expand and contract (the journal: under the new release), after. */
export const PHASES = ["before", "across", "after"] as const;
export type Phase = (typeof PHASES)[number];

export interface Probe {
  phase: Phase;
  /** Epoch ms no commit shares (markTime). */
  at: number;
  cartId: string;
  /** The runner's record of the cart at `at`. */
  expected: CartView | null;
}

export interface Readability {
  entries: number;
  readable: number;
  /** The first decode error met, as evidence of what the reader says. */
  firstError: string | null;
}

/**
 * Reads every entry with `read`; a `DecodeFailed` counts as unreadable (what the reader does is
 * the measurement), any other error is not this question's and is thrown.
 */
export function readabilityOf<T>(entries: readonly T[], read: (entry: T) => unknown): Readability {
  let readable = 0;
  let firstError: string | null = null;
  for (const entry of entries) {
    const outcome = attemptRead(() => read(entry));
    if (outcome.ok) readable += 1;
    else firstError ??= outcome.error;
  }
  return { entries: entries.length, readable, firstError };
}

/** Runs a read; a decode failure comes back as a result. */
export function attemptRead<T>(read: () => T): { ok: true; value: T } | { ok: false; error: string } {
  try {
    return { ok: true, value: read() };
  } catch (error) {
    if (isLabError(error) && error.code === "DecodeFailed") return { ok: false, error: error.message };
    throw error;
  }
}

export function readablePercent(readability: Readability): number | null {
  return percent(readability.readable, readability.entries);
}

const stateTables: readonly (string | null)[] = [crudTableNames.carts, crudTableNames.cartItems, crudTableNames.cartDiscounts];

/** A row change of one of the cart's state tables: the CDC design's history entries. */
export function isStateChange(event: ChangeEvent): event is RowChangeEvent {
  return event.kind === "row" && stateTables.includes(event.source.table);
}

/**
 * Reads what the state rebuild (cdcStateAsOf) reads of a change event, with a reader that knows
 * one `cart_items` layout: the after image of an insert, update or snapshot read; the key of a
 * delete. Throws `DecodeFailed` where that reader cannot.
 */
export function readChangeEvent(event: RowChangeEvent, layout: CartLineLayout | "every"): void {
  if (event.op === "d") return;
  const row = event.after ?? {};
  if (event.source.table === crudTableNames.carts) decodeCartRow(row);
  else if (event.source.table === crudTableNames.cartItems) decodeCartLineAs(layout, row);
  else decodeCartDiscount(row);
}

/** Share of probes of each phase a reader answered exactly; null for a phase without probes. */
export function exactPercentByPhase(answers: readonly { probe: Probe; exact: boolean }[]): Record<Phase, number | null> {
  const byPhase = (phase: Phase) => {
    const ofPhase = answers.filter((answer) => answer.probe.phase === phase);
    return percent(ofPhase.filter((answer) => answer.exact).length, ofPhase.length);
  };
  return { before: byPhase("before"), across: byPhase("across"), after: byPhase("after") };
}
