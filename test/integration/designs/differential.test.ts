import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CartView } from "../../../services/cart/index.ts";
import { cdcStateAsOf } from "../../../services/crud-cdc/cdc-history.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { markTime } from "../../../scenarios/kit/time-mark.ts";
import { generateCartWorkload } from "../../../scenarios/workload/cart-workload.ts";
import { uniqueName } from "../support/test-lab.ts";
import { openTestDesigns } from "./designs-fixture.ts";

/**
 * The same seeded workload through both designs: every command must get the same answer, every
 * cart must end the same, Debezium's topics must rebuild the CRUD tables, and the past asked of
 * the journal and of the topics must be what the test itself saw at that time.
 */
const SEED = 20_261_128;
const COMMANDS = 1_200;
const cartPrefix = `${uniqueName("w").replace("_", "")}-`;
const workload = generateCartWorkload({ seed: SEED, carts: 12, commands: COMMANDS, cartPrefix });
const cartIds = [...new Set(workload.map((entry) => String(entry.command["cartId"])))].sort();
// The probes compare every cart at every probe time; a sample keeps that within seconds.
const probedCartIds = cartIds.filter((_cartId, index) => index % 4 === 0);

interface Probe {
  at: number;
  views: Map<string, CartView | null>;
}

let lab: Awaited<ReturnType<typeof openTestDesigns>>;
const mismatches: string[] = [];
const outcomes = new Map<string, number>();
const probes: Probe[] = [];


beforeAll(async () => {
  lab = await openTestDesigns();
  const current = new Map<string, CartView | null>(cartIds.map((cartId) => [cartId, null]));
  for (const [index, entry] of workload.entries()) {
    const crud = await lab.designs.applyRaw("crud", entry.command, entry.metadata);
    const es = await lab.designs.applyRaw("es", entry.command, entry.metadata);
    const outcome = crud.ok ? "ok" : crud.error.code;
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    if ((es.ok ? "ok" : es.error.code) !== outcome) mismatches.push(`#${index} ${JSON.stringify(entry.command)}: crud ${JSON.stringify(crud)} es ${JSON.stringify(es)}`);
    const cartId = String(entry.command["cartId"]);
    if (crud.ok && current.has(cartId)) current.set(cartId, await lab.designs.state("crud", cartId, null));
    if (index % 25 === 24) {
      // "State at T" has one right answer only if no commit shares T's millisecond.
      probes.push({ at: await markTime(), views: new Map(current) });
    }
  }
}, 600_000);

afterAll(async () => {
  await lab?.dispose();
});

describe(`a seeded workload of ${COMMANDS} commands on 12 carts through both designs`, () => {
  it("mixes accepted, rule-rejected and invalid commands", () => {
    const summary = Object.fromEntries(outcomes);
    console.info(`outcomes: ${JSON.stringify(summary)}; ${probes.length} probe times`);
    expect(outcomes.get("ok")).toBeGreaterThan(COMMANDS / 3);
    for (const code of ["ValidationFailed", "ItemNotInCart", "CartCheckedOut", "PriceMismatch"]) expect(outcomes.get(code), code).toBeGreaterThan(0);
  });

  it("gives the same answer for every command in both designs", () => {
    expect(mismatches).toEqual([]);
  });

  it("ends every cart in the same state in both designs", async () => {
    for (const cartId of cartIds) expect(await lab.designs.state("es", cartId, null), cartId).toEqual(await lab.designs.state("crud", cartId, null));
  });

  it("rebuilds the CRUD tables from Debezium's topics", async () => {
    const crud = new Map(await Promise.all(cartIds.map(async (cartId) => [cartId, await lab.designs.state("crud", cartId, null)] as const)));
    const rebuild = async () => {
      const history = await lab.designs.cdcHistory();
      return new Map(cartIds.map((cartId) => [cartId, cdcStateAsOf(history.get(cartId) ?? [], null)] as const));
    };
    // Once the change feed caught up: the last command's changes may still be on their way.
    const cdc = await waitFor(async () => {
      const rebuilt = await rebuild();
      return cartIds.every((cartId) => JSON.stringify(rebuilt.get(cartId)) === JSON.stringify(crud.get(cartId))) ? rebuilt : undefined;
    }, { what: "the CDC rebuild of every cart", timeoutMs: 60_000, intervalMs: 500 }).catch(async () => rebuild());
    for (const cartId of cartIds) expect(cdc.get(cartId), cartId).toEqual(crud.get(cartId));
  });

  it("answers state-as-of from the journal and from the topics with what the test recorded then", async () => {
    expect(probes.length).toBeGreaterThan(20);
    const history = await lab.designs.cdcHistory();
    const transactions = new Map(probedCartIds.map((cartId) => [cartId, history.get(cartId) ?? []] as const));
    let compared = 0;
    for (const probe of probes) {
      for (const cartId of probedCartIds) {
        const expected = probe.views.get(cartId) ?? null;
        const at = new Date(probe.at).toISOString();
        expect(await lab.designs.state("es", cartId, { at }), `es ${cartId} at ${at}`).toEqual(expected);
        expect(cdcStateAsOf(transactions.get(cartId) ?? [], { at: probe.at }), `cdc ${cartId} at ${at}`).toEqual(expected);
        compared += 1;
      }
    }
    console.info(`time-travel probes compared: ${compared} (${probes.length} times x ${probedCartIds.length} carts)`);
  });
});
