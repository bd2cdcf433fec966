import type { SlotState } from "./postgres-accounting.ts";

/**
 * Whether max_slot_wal_keep_size could invalidate this subject's slot and no other. The setting
 * is cluster-wide, and at a checkpoint PostgreSQL invalidates every slot whose restart_lsn lies
 * before the cut, a whole WAL segment at a time. So losing this slot alone needs every other
 * slot to restart at least two segments later than it does. The lab never lowers the setting
 * when another slot (another subject's, the stack's sentinel's, a concurrent test's) would be
 * lost with it: this says why the invalidation was not measured, from the slots as they are.
 * The reason holds no byte counts (they differ from run to run; the slots are evidence).
 */
export function invalidationBlocker(slot: SlotState, others: readonly SlotState[], segmentBytes: number): string | null {
  const mine = slot.retainedBytes;
  if (mine === null) return `slot ${slot.slotName} has no restart_lsn`;
  if (others.some((other) => other.retainedBytes !== null && other.retainedBytes >= mine)) {
    return "another slot on the cluster holds WAL from further back; max_slot_wal_keep_size is cluster-wide, so any limit that loses this slot loses that one too";
  }
  const next = Math.max(0, ...others.map((other) => other.retainedBytes ?? 0));
  if (mine - next < 2 * segmentBytes) {
    return `this slot is less than two WAL segments (2 × ${segmentBytes} bytes) behind every other slot; the limit cuts whole segments, so it cannot lose this slot alone`;
  }
  return null;
}
