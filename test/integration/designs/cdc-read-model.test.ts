import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCdcReadModelCart, startCdcReadModel } from "../../../services/crud-cdc/cdc-read-model.ts";
import { cdcTopics } from "../../../services/crud-cdc/cdc-variant.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { generateCartWorkload } from "../../../scenarios/workload/cart-workload.ts";
import { withPostgres } from "../support/stack.ts";
import { uniqueName } from "../support/test-lab.ts";
import { openTestDesigns } from "./designs-fixture.ts";

/** The CDC design's read model: fed by the change feed, idempotent by source position. */
let lab: Awaited<ReturnType<typeof openTestDesigns>>;
const readSchema = uniqueName("readmodel");
const workload = generateCartWorkload({ seed: 42, carts: 5, commands: 200, cartPrefix: "rm-" });
const cartIds = [...new Set(workload.map((entry) => String(entry.command["cartId"])))];

beforeAll(async () => {
  lab = await openTestDesigns({ replicaIdentity: "default" });
  for (const entry of workload) await lab.designs.applyRaw("crud", entry.command, entry.metadata);
});
afterAll(async () => {
  await withPostgres((client) => client.query(`DROP SCHEMA IF EXISTS ${readSchema} CASCADE`));
  await lab?.dispose();
});

async function matchesTables(): Promise<boolean> {
  for (const cartId of cartIds) {
    const expected = await lab.designs.state("crud", cartId, null);
    if (JSON.stringify(await readCdcReadModelCart(lab.designs.pool, readSchema, cartId)) !== JSON.stringify(expected)) return false;
  }
  return true;
}

describe("the CDC read model", () => {
  it("equals the CRUD tables once it caught up, even with REPLICA IDENTITY DEFAULT (deletes carry the key only)", async () => {
    const { subscription, counts } = await startCdcReadModel({ feed: lab.designs.changeFeed, pool: lab.designs.pool, schema: readSchema, topics: cdcTopics(lab.variant).all, groupId: uniqueName("rm") });
    try {
      await waitFor(async () => ((await matchesTables()) ? true : undefined), { what: "the read model to catch up", timeoutMs: 60_000, intervalMs: 500 });
      expect(counts.applied).toBeGreaterThan(100);
      expect(counts.stale).toBe(0);
    } finally {
      await subscription.stop();
    }
  });

  it("changes nothing when every change is delivered again", async () => {
    const topics = cdcTopics(lab.variant).all;
    const total = (await lab.designs.changeFeed.readToEnd(topics)).filter((event) => event.kind === "row").length;
    // A second consumer group from offset 0: every change arrives a second time.
    const { subscription, counts } = await startCdcReadModel({ feed: lab.designs.changeFeed, pool: lab.designs.pool, schema: readSchema, topics, groupId: uniqueName("rm_again") });
    try {
      await waitFor(async () => (counts.applied + counts.stale >= total ? true : undefined), { what: "the redelivery to be consumed", timeoutMs: 60_000, intervalMs: 200 });
      expect(counts).toEqual({ applied: 0, stale: total });
      expect(await matchesTables()).toBe(true);
    } finally {
      await subscription.stop();
    }
  });
});
