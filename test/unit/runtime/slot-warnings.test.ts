import { describe, expect, it } from "vitest";
import { slotWarnings } from "../../../services/runtime/replication-slot.ts";
import type { SlotStatus } from "../../../services/runtime/replication-slot.ts";

const MiB = 1024 * 1024;
const slot = (overrides: Partial<SlotStatus>): SlotStatus => ({ slotName: "cdc_x_slot", active: true, walStatus: "reserved", retainedBytes: 1 * MiB, confirmedLagBytes: 0, safeWalBytes: null, ...overrides });

describe("slot warnings", () => {
  it("none while every slot keeps less than the threshold", () => {
    expect(slotWarnings([slot({}), slot({ slotName: "b", active: false, retainedBytes: 10 * MiB })], 64 * MiB)).toEqual([]);
  });

  it("name a slot over the threshold, why it keeps WAL and how far it is from invalidation", () => {
    expect(slotWarnings([slot({ active: false, retainedBytes: 100 * MiB, safeWalBytes: 3_996 * MiB })], 64 * MiB)).toEqual([
      "slot cdc_x_slot retains 100.0 MiB of WAL: nothing reads it (its connector is down); 3996.0 MiB more and it is invalidated",
    ]);
    expect(slotWarnings([slot({ retainedBytes: 100 * MiB })], 64 * MiB)[0]).toContain("its consumer is behind; PostgreSQL keeps it without limit");
  });

  it("say what an invalidated slot costs the CDC design, whatever it retains", () => {
    const [warning] = slotWarnings([slot({ walStatus: "lost", retainedBytes: null })], 64 * MiB);
    expect(warning).toContain("slot cdc_x_slot was invalidated");
    expect(warning).toContain("new snapshot");
  });
});
