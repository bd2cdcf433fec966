import { observationNames } from "../../model/observations.ts";

/**
 * deliver.duplicates' figures, declared once: the steps record through these names, the judge,
 * the tests and the report read through them. A figure a design has no place for is null
 * (the journal has no Connect offsets; the CDC subjects run no naive-free projection).
 * The CDC counts marked "timing" depend on where the kill lands against Connect's own 1 s offset
 * flush timer, so two runs of one seed count differently; the relations between them do not vary.
 */
export const OBS = observationNames({
  // At the source: what the pipeline put on Kafka more than once.
  /** Records on Kafka: change events on the CDC topics; checkout messages on the journal's topic. */
  recordsDelivered: ["count", "number", "timing"],
  /** Records whose source position (CDC: table + LSN + key; journal: event id) was already on Kafka. The headline. */
  duplicatesDelivered: ["count", "number", "timing"],
  /** CDC: change events already on the topics when Connect died whose LSN was past the offset Connect had last flushed. */
  unflushedAtKill: ["count", "number", "timing"],
  /** CDC: time between two offset commits of the connector while the app wrote, read from Connect's offsets topic. */
  offsetCommitGapMs: ["ms", "distribution"],

  // At the consumers: what a death between applying and committing handed over again.
  /** Records handed to a consumer again after it died before committing (journal: events re-read after the checkpoint moved back). */
  consumerRedeliveries: ["count", "number"],
  /** Carts compared with the application's state (CRUD tables; the journal). */
  cartsCompared: ["count", "number"],
  /** Carts where the idempotent read model (CDC: by LSN; journal: cart_summaries) differs from the application's state. */
  idempotentCartsWrong: ["count", "number"],
  /** Changes the idempotent read model recognised as already applied and skipped. */
  idempotentSkipped: ["count", "number", "timing"],
  /** Journal: cart_summaries rows the redelivery changed (the checkpoint commits with the rows). */
  projectionRowsChanged: ["count", "number"],

  // The naive line tally (CDC only): adds each cart_items change's quantity delta, then commits.
  /** Carts where the naive tally's line quantities differ from the CRUD tables. */
  naiveCartsWrong: ["count", "number", "timing"],
  /** cart_items changes the naive tally applied more than once (Debezium's copies and Kafka's redeliveries). */
  naiveDuplicatesApplied: ["count", "number", "timing"],
  /** Σ over lines of |naive quantity − CRUD quantity|. */
  naiveQuantityError: ["count", "number", "timing"],
  /** Σ over lines of |the quantity deltas the naive tally applied a second time|: equals the error when duplicates are its only fault. */
  naiveDuplicateQuantity: ["count", "number", "timing"],

  // Shipping (journal's checkout publisher; dedupes by event id).
  /** Checkouts in the journal: what shipping must record, once each. */
  checkoutsExpected: ["count", "number"],
  /** Shipments recorded. */
  shipmentsRecorded: ["count", "number"],
  /** Second copies shipping recognised by event id and did not record. */
  shippingDuplicatesAbsorbed: ["count", "number"],
});
