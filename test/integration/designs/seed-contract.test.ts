import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommandMetadata } from "../../../services/cart/index.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { seedCommands, seedView } from "../../support/cart-commands.ts";
import { openTestDesigns } from "./designs-fixture.ts";

/**
 * The contract both designs must meet, run against both: the brief's seed cart 101, and the
 * CDC side's reconstruction of it from Debezium's topics alone.
 */
const seed = seedCommands("101");
const expected = seedView("101");
const metadata = (index: number): CommandMetadata => ({ actor: index === 4 ? "pricing-bot" : "alice", reason: index === 4 ? "banana promotion" : null, correlationId: `seed-${index}`, decidedAt: new Date().toISOString() });

let lab: Awaited<ReturnType<typeof openTestDesigns>>;
beforeAll(async () => {
  lab = await openTestDesigns();
});
afterAll(async () => {
  await lab?.dispose();
});

describe.each(["crud", "es"] as const)("the seed cart 101 through the %s design", (design) => {
  it("ends checked out: banana x2 @100, mango x1 @200, discount -10, total 390", async () => {
    for (const [index, command] of seed.entries()) expect(await lab.designs.handle(design, command, metadata(index))).toEqual({ ok: true });
    expect(await lab.designs.state(design, "101", null)).toEqual(expected);
  });

  it("refuses every command after checkout with CartCheckedOut", async () => {
    const result = await lab.designs.handle(design, { type: "AddItem", cartId: "101", sku: "kiwi", name: "Kiwi", unitPriceCents: 50, quantity: 1 }, metadata(9));
    expect(result).toEqual({ ok: false, error: { code: "CartCheckedOut", message: expect.any(String) } });
  });
});

describe("the CDC side", () => {
  it("rebuilds the identical state JSON from Debezium's topics once the change feed caught up", async () => {
    const view = await waitFor(
      async () => {
        const current = await lab.designs.state("cdc", "101", null);
        return JSON.stringify(current) === JSON.stringify(expected) ? current : undefined;
      },
      { what: "the CDC reconstruction of cart 101", timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(view).toEqual(await lab.designs.state("crud", "101", null));
    expect(view).toEqual(await lab.designs.state("es", "101", null));
  });

  it("audits who and why from the intent messages, as the journal does", async () => {
    const cdc = await lab.designs.cdcAudit("101");
    const es = await lab.designs.audit("es", "101");
    expect(cdc.map((entry) => entry.operation)).toEqual(es.map((entry) => entry.operation));
    expect(cdc.map((entry) => [entry.actor, entry.reason])).toEqual(es.map((entry) => [entry.actor, entry.reason]));
    expect(cdc[4]).toMatchObject({ operation: "DiscountApplied", actor: "pricing-bot", reason: "banana promotion" });
  });
});
