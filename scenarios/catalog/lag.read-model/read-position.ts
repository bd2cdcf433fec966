/**
 * How far a read model has come, per lane: the journal projection's stream version of a cart
 * (one lane), or the CDC read model's newest LSN per captured table of a cart (one lane per
 * table, because Debezium's per-table topics arrive independently). A read shows a write when
 * it has reached the write's position in every lane the write touched.
 */
export type ReadPosition = Readonly<Record<string, number>>;

export function covers(read: ReadPosition, needed: ReadPosition): boolean {
  return Object.entries(needed).every(([lane, position]) => (read[lane] ?? Number.NEGATIVE_INFINITY) >= position);
}

/** The lane-wise maximum: where a read model stands after applying both. */
export function furthest(a: ReadPosition, b: ReadPosition): ReadPosition {
  const merged: Record<string, number> = { ...a };
  for (const [lane, position] of Object.entries(b)) merged[lane] = Math.max(merged[lane] ?? Number.NEGATIVE_INFINITY, position);
  return merged;
}
