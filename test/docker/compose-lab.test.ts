import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { waitFor } from "../../services/platform/wait-for.ts";
import { getJson, postCommands, postHuge, seedBatch } from "../support/cart-api-client.ts";
import { expectLivePageFollowsCommands, openLivePageBrowser } from "../support/live-page.ts";
import type { LivePageBrowser } from "../support/live-page.ts";

/**
 * The compose lab as a workshop uses it, through the `api` service's published port: the seed
 * cart applied to both designs ends at 390 in crud, es and cdc (cdc rebuilt from the topics by
 * the API); bad requests get their documented 4xx and write nothing; the live page follows a
 * cart in Chromium. The stack is the one the setup started from the project's compose files.
 */
const lab = inject("dockerLab");
/** Debezium in a fresh container streams its first change only after the connector's snapshot. */
const CDC_TIMEOUT_MS = 180_000;

let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: lab.postgresUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
});

/** What the designs hold, as the compose lab's `serve` opens them (schemas crud and journal). */
async function counts(): Promise<Record<string, number>> {
  const count = async (table: string) => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);
  return {
    carts: await count("crud.carts"),
    items: await count("crud.cart_items"),
    discounts: await count("crud.cart_discounts"),
    events: await count("journal.events"),
  };
}

describe("the compose lab's cart API", () => {
  it("applies the seed cart to both designs, and it ends at 390 in crud, es and cdc", async () => {
    for (const design of ["crud", "es"]) {
      const answer = await postCommands(lab.apiUrl, design, seedBatch());
      expect(answer, design).toEqual({ status: 200, json: { results: Array.from({ length: 7 }, () => ({ ok: true })) } });
    }
    const crud = await getJson(lab.apiUrl, "api/designs/crud/carts/101");
    expect(crud).toMatchObject({ status: 200, json: { cartId: "101", status: "checked_out", totalCents: 390 } });
    expect(await getJson(lab.apiUrl, "api/designs/es/carts/101")).toEqual(crud);
    const cdc = await waitFor(
      async () => {
        const answer = await getJson(lab.apiUrl, "api/designs/cdc/carts/101");
        return JSON.stringify(answer.json) === JSON.stringify(crud.json) ? answer : undefined;
      },
      { what: "cart 101 rebuilt from Debezium's topics", timeoutMs: CDC_TIMEOUT_MS, intervalMs: 1_000 },
    );
    expect(cdc).toMatchObject({ status: 200, json: { totalCents: 390 } });
  }, CDC_TIMEOUT_MS + 60_000);

  it("answers bad requests with their documented 4xx and writes nothing in either design", async () => {
    const before = await counts();
    const valid = { type: "AddItem", cartId: "docker-bad", sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 1 };
    const cases: [string, unknown, number, string][] = [
      ["malformed JSON", `[${JSON.stringify(valid)},`, 400, "ValidationFailed"],
      ["an unknown command", [valid, { type: "Teleport", cartId: "docker-bad" }], 400, "ValidationFailed"],
      ["wrong types", [valid, { ...valid, quantity: "2" }], 400, "ValidationFailed"],
    ];
    for (const design of ["crud", "es"]) {
      for (const [what, body, status, code] of cases) {
        expect(await postCommands(lab.apiUrl, design, body), `${design}: ${what}`).toMatchObject({ status, json: { error: { code, message: expect.any(String) } } });
      }
    }
    expect(await postHuge(lab.apiUrl, 2 * 1024 * 1024)).toMatchObject({ status: 413, json: { error: { code: "PayloadTooLarge" } } });
    for (const design of ["crud", "es", "cdc"]) {
      expect(await getJson(lab.apiUrl, `api/designs/${design}/carts/docker-nobody`), design).toMatchObject({ status: 404, json: { error: { code: "CartNotFound" } } });
    }
    expect(await counts()).toEqual(before);
  });

  it("serves the live page, which follows a cart in both designs in Chromium", async () => {
    let watched: LivePageBrowser | null = null;
    try {
      watched = await openLivePageBrowser(lab.apiUrl);
      await expectLivePageFollowsCommands(watched, lab.apiUrl, "docker-page-1");
    } finally {
      await watched?.close();
    }
  }, 240_000);
});
