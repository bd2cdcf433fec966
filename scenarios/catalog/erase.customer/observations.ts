import { observationNames } from "../../model/observations.ts";

/** What erase.customer measures per subject; docs/scenarios/erase.customer.md says what each means. */
export const OBS = observationNames({
  /** Carts of the forgotten customer (checked out and open). */
  customerCarts: ["count", "number"],
  /** Places of the subject the scan looked in (tables, topics, the shipping store). */
  placesScanned: ["count", "number"],
  /** Records (rows or Kafka records) holding the forgotten customer's e-mail or address, before and after the erase. */
  markerRecordsBefore: ["count", "number"],
  markerRecordsAfter: ["count", "number"],
  /** Places holding at least one such record, before and after. */
  placesHoldingBefore: ["count", "number"],
  placesHoldingAfter: ["count", "number"],
  /** The places still holding it after, by name, comma-separated ("" when none). */
  placesStillHolding: ["id", "text"],
  /** Records still holding it after, per kind of place; a subject observes only the places it has. */
  journalAfter: ["count", "number"],
  snapshotsAfter: ["count", "number"],
  projectionAfter: ["count", "number"],
  stateTablesAfter: ["count", "number"],
  outboxAfter: ["count", "number"],
  changeTopicsAfter: ["count", "number"],
  checkoutTopicAfter: ["count", "number"],
  shippingAfter: ["count", "number"],
  /** Records of another customer, who was not forgotten, before and after: an erase must not touch them. */
  controlRecordsBefore: ["count", "number"],
  controlRecordsAfter: ["count", "number"],
  /** The forgotten customer's carts whose current state still equals the runner's record. */
  totalsKept: ["count", "number"],
  /** Version probes of those carts (every version of each), and how many equal the record; absent where the design keeps no past. */
  timeTravelProbes: ["count", "number"],
  timeTravelMatched: ["count", "number"],
  /** How long the erase took (the design's erase and shipping's, one after the other). */
  eraseMs: ["ms", "number"],
  /** How long the compacted topics took to reach the cleaner's end state after the erase. */
  compactionWaitMs: ["ms", "number"],
});
