import { observationNames } from "../../model/observations.ts";

/**
 * snapshot.long-stream's figures. A "load" reads the cart from the subject's own store: the
 * journal (snapshot + later events, or every event), the CRUD rows, or the CDC topics replayed
 * from their start. Curves have the cart's changes on x. Times are medians of `repetitions`
 * reads; records read are the same at every repetition, so they are exact.
 */
export const OBS = observationNames({
  /** Median time to load the cart's current state, by the cart's changes. */
  loadMs: ["ms", "curve"],
  /** The same at the largest length: what the verdict reads. */
  loadMsAtLargest: ["ms", "number"],
  largestLength: ["count", "number"],
  /** Events (journal) or change events (topics) one load read, by the cart's changes; the CRUD rows have none. */
  recordsRead: ["count", "curve"],
  recordsReadAtLargest: ["count", "number"],
  /** Median time to load the cart as it was at half its changes (version length / 2), by the cart's changes. */
  pastLoadMs: ["ms", "curve"],
  pastRecordsRead: ["count", "curve"],
  /** false where the design keeps no past to load (the CRUD rows are changed in place). */
  pastReadable: ["boolean", "boolean"],
  /** Loads (current and past, every repetition) whose state equals the runner's record, of all loads. */
  loadsMatched: ["count", "number"],
  loadsTotal: ["count", "number"],
  /** Mean time of one command through the subject's `apply` while the cart grew to x changes. */
  commandMs: ["ms", "curve"],
  /** How many reads each median is taken over. */
  repetitions: ["count", "number"],
});
