/**
 * How many events the rebuild folds, and so how many rows the raw read baseline reads: the same
 * count, so the ratio compares two reads of one size. The full size is the target rate
 * (50,000 events/s), so a rebuild that meets it takes about a second.
 */
export const EVENTS_TO_READ = { quick: 5_000, full: 50_000 } as const;
