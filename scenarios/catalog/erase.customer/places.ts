import type { ObservationName } from "../../model/observations.ts";
import { OBS } from "./observations.ts";

/**
 * The kinds of place the lab stores data in. A table or topic found by the scan is named by its
 * kind, never by its run-specific schema or topic name, so the same seed gives the same places.
 */
export const PLACE_KINDS = ["journal", "snapshots", "projection", "state tables", "outbox", "change topics", "checkout topic", "shipping"] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

/** Where the after-erase count of each kind is recorded. */
export const AFTER_OBSERVATION: { [K in PlaceKind]: ObservationName<"number"> } = {
  journal: OBS.journalAfter,
  snapshots: OBS.snapshotsAfter,
  projection: OBS.projectionAfter,
  "state tables": OBS.stateTablesAfter,
  outbox: OBS.outboxAfter,
  "change topics": OBS.changeTopicsAfter,
  "checkout topic": OBS.checkoutTopicAfter,
  shipping: OBS.shippingAfter,
};

/**
 * A database table's kind, by its table name in the lab's schemas. Tables that hold no data of
 * carts (checkpoints, shipping progress, customer keys) are bookkeeping: still scanned, counted
 * under their own name, so a marker that turned up there would show.
 */
export function placeOfTable(table: string): PlaceKind | `table ${string}` {
  switch (table) {
    case "events":
      return "journal";
    case "snapshots":
      return "snapshots";
    case "cart_summaries":
      return "projection";
    case "carts":
    case "cart_items":
    case "cart_discounts":
      return "state tables";
    case "outbox":
      return "outbox";
    case "shipments":
      return "shipping";
    default:
      return `table ${table}`;
  }
}

export function isPlaceKind(place: string): place is PlaceKind {
  return (PLACE_KINDS as readonly string[]).includes(place);
}

/** Records holding a marker, per place; every scanned place appears, with 0 when it holds none. */
export type PlaceCounts = Map<string, number>;

export function addCount(counts: PlaceCounts, place: string, records: number): void {
  counts.set(place, (counts.get(place) ?? 0) + records);
}

export function totalRecords(counts: PlaceCounts): number {
  return [...counts.values()].reduce((sum, n) => sum + n, 0);
}

/** The places holding at least one record, in a fixed order (kinds first, then other tables by name). */
export function placesHolding(counts: PlaceCounts): string[] {
  const order = (place: string) => (isPlaceKind(place) ? PLACE_KINDS.indexOf(place) : PLACE_KINDS.length);
  return [...counts].filter(([, n]) => n > 0).map(([place]) => place).sort((a, b) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0));
}
