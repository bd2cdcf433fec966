import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cdcTopics } from "../../services/crud-cdc/cdc-variant.ts";
import { createLogger } from "../../services/platform/logger.ts";
import { waitFor } from "../../services/platform/wait-for.ts";
import { connectKafkaAdmin } from "../../services/runtime/kafka-admin.ts";
import { getJson, postCommands, postHuge, seedBatch } from "../support/cart-api-client.ts";
import { openTestApi } from "./http-api-fixture.ts";
import { stack, withPostgres } from "./support/stack.ts";
import { PROJECT_DIR, testStackLabDir, uniqueName } from "./support/test-lab.ts";

/**
 * The cart API against the real stack: the seed cart through HTTP ends at 390 in crud, es and
 * cdc (from the topics), and bad requests get their documented 4xx and write nothing.
 */
let api: Awaited<ReturnType<typeof openTestApi>>;
beforeAll(async () => {
  api = await openTestApi();
});
afterAll(async () => {
  await api?.dispose();
});

async function counts() {
  const rows = await withPostgres(async (client) => {
    const count = async (table: string) => Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);
    const schema = api.lab.variant.schema;
    return {
      carts: await count(`${schema}.carts`),
      items: await count(`${schema}.cart_items`),
      discounts: await count(`${schema}.cart_discounts`),
      outbox: await count(`${schema}.outbox`),
      events: await count(`${api.lab.variant.name}_journal.events`),
    };
  });
  const messages = (await api.lab.designs.changeFeed.readToEnd(cdcTopics(api.lab.variant).all)).length;
  return { ...rows, messages };
}

describe("the seed cart through the HTTP API", () => {
  it("answers one ok result per command for both designs", async () => {
    for (const design of ["crud", "es"]) {
      const answer = await postCommands(api.url, design, seedBatch());
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      expect(answer.json).toEqual({ results: Array.from({ length: 7 }, () => ({ ok: true })) });
    }
  });

  it("ends at total 390 in crud and es, and in cdc once Debezium's topics have it", async () => {
    const crud = await getJson(api.url, "api/designs/crud/carts/101");
    expect(crud).toMatchObject({ status: 200, json: { cartId: "101", status: "checked_out", totalCents: 390, discounts: [{ discountId: "banana-2-for-less", amountCents: -10 }] } });
    const es = await getJson(api.url, "api/designs/es/carts/101");
    expect(es).toEqual(crud);
    const cdc = await waitFor(
      async () => {
        const answer = await getJson(api.url, "api/designs/cdc/carts/101");
        return JSON.stringify(answer.json) === JSON.stringify(crud.json) ? answer : undefined;
      },
      { what: "cart 101 rebuilt from the topics", timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(cdc.status).toBe(200);
  });

  it("answers the past from es and cdc, and 422 Unsupported from crud", async () => {
    const es = await getJson(api.url, "api/designs/es/carts/101?version=2");
    expect(es).toMatchObject({ status: 200, json: { status: "open", items: [{ sku: "apple" }, { sku: "banana" }] } });
    expect(await getJson(api.url, "api/designs/cdc/carts/101?version=2")).toEqual(es);
    expect(await getJson(api.url, "api/designs/crud/carts/101?version=2")).toMatchObject({ status: 422, json: { error: { code: "Unsupported" } } });
    expect(await getJson(api.url, "api/designs/es/carts/101?at=2000-01-01T00:00:00Z")).toMatchObject({ status: 404, json: { error: { code: "CartNotFound" } } });
  });

  it("answers history and audit as the CLI's --json, with who and why in both", async () => {
    const history = await getJson(api.url, "api/designs/es/carts/101/history");
    expect((history.json as unknown[]).length).toBe(7);
    const audit = (await getJson(api.url, "api/designs/es/carts/101/audit")).json as { operation: string; actor: string; reason: string | null }[];
    expect(audit[4]).toMatchObject({ operation: "DiscountApplied", actor: "pricing-bot", reason: "weekly banana promotion" });
    const cdcAudit = (await getJson(api.url, "api/designs/cdc/carts/101/audit")).json as { actor: string | null; reason: string | null }[];
    expect(cdcAudit.map((entry) => entry.actor)).toEqual(["alice", "alice", "alice", "alice", "pricing-bot", "alice", "alice"]);
    expect(((await getJson(api.url, "api/designs/cdc/carts/101/history")).json as unknown[]).length).toBe(7);
  });
});

describe("bad requests", () => {
  it("get their documented 4xx with the error code, and write nothing in either design", async () => {
    // Everything the seed wrote is on the topics before counting.
    await waitFor(async () => ((await api.lab.designs.cdcTransactions("101")).length === 7 ? true : undefined), { what: "the seed's transactions on the topics", timeoutMs: 60_000, intervalMs: 500 });
    const before = await counts();
    const valid = { type: "AddItem", cartId: "bad-requests", sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 1 };
    for (const design of ["crud", "es"]) {
      const cases: [string, unknown, number, string][] = [
        ["malformed JSON", `[${JSON.stringify(valid)},`, 400, "ValidationFailed"],
        ["an unknown command type", [valid, { type: "Teleport", cartId: "bad-requests" }], 400, "ValidationFailed"],
        ["wrong types", [valid, { ...valid, quantity: "2", unitPriceCents: -1 }], 400, "ValidationFailed"],
        ["the wrong shape", { type: "AddItem" }, 400, "ValidationFailed"],
      ];
      for (const [what, body, status, code] of cases) {
        const answer = await postCommands(api.url, design, body);
        expect(answer, `${design}: ${what}`).toMatchObject({ status, json: { error: { code, message: expect.any(String) } } });
      }
      const rejected = (await postCommands(api.url, design, [valid, { type: "Teleport", cartId: "bad-requests" }])).json;
      expect(rejected).toMatchObject({ error: { details: { rejected: [{ index: 1, code: "UnknownCommand" }] } } });
    }
    const huge = await postHuge(api.url, 2 * 1024 * 1024);
    expect(huge).toMatchObject({ status: 413, json: { error: { code: "PayloadTooLarge" } } });
    expect(await getJson(api.url, "api/designs/es/carts/nobody")).toMatchObject({ status: 404, json: { error: { code: "CartNotFound" } } });
    expect(await getJson(api.url, "api/designs/crud/carts/nobody")).toMatchObject({ status: 404, json: { error: { code: "CartNotFound" } } });
    expect(await getJson(api.url, "api/designs/cdc/carts/nobody")).toMatchObject({ status: 404, json: { error: { code: "CartNotFound" } } });

    // A marker after them: once its changes are on the topics, anything the bad requests wrote would be too.
    for (const design of ["crud", "es"]) expect((await postCommands(api.url, design, [{ ...valid, cartId: "marker" }])).json).toEqual({ results: [{ ok: true }] });
    await waitFor(async () => ((await api.lab.designs.cdcTransactions("marker")).length === 1 ? true : undefined), { what: "the marker on the topics", timeoutMs: 60_000, intervalMs: 500 });
    const after = await counts();
    // The marker alone: one cart, one line, one event; on Kafka its carts and cart_items changes and its intent message.
    expect(after).toEqual({ ...before, carts: before.carts + 1, items: before.items + 1, events: before.events + 1, messages: before.messages + 3 });
  });
});

describe("the live stream", () => {
  it("pushes the cart's states, journal events and change events, and closes its Kafka consumer when the client goes", async () => {
    const admin = await connectKafkaAdmin(stack().kafkaBrokers, createLogger("warn"));
    const liveGroups = async () => (await admin.listGroups()).filter((group) => group.startsWith("cdc-es-lab-live-"));
    try {
      const before = new Set(await liveGroups());
      const client = new AbortController();
      const response = await fetch(new URL("api/carts/101/live", api.url), { signal: client.signal });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = "";
      // The seed's 7 journal events and its 7 transactions' change events (rows and intents), replayed from the start.
      const complete = () => (text.match(/^event: journal$/gm) ?? []).length === 7 && text.includes('"commandType":"CheckOut"') && text.includes('"design":"cdc","view":{"cartId":"101","status":"checked_out"');
      while (!complete()) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended early:\n${text}`);
        text += decoder.decode(value, { stream: true });
      }
      expect(text).toContain('"actor":"pricing-bot","reason":"weekly banana promotion"');
      const ours = (await liveGroups()).filter((group) => !before.has(group));
      expect(ours).toHaveLength(1);
      client.abort();
      await waitFor(async () => ((await liveGroups()).some((group) => ours.includes(group)) ? undefined : true), { what: "the page's consumer group to be deleted", timeoutMs: 30_000, intervalMs: 250 });
    } finally {
      await admin.close();
    }
  });

  it("refuses a bad cart id with 400 before opening anything", async () => {
    expect(await getJson(api.url, "api/carts/no%20such/live")).toMatchObject({ status: 400, json: { error: { code: "ValidationFailed" } } });
  });
});

describe("cdc-es-lab serve", () => {
  it("serves the API on the shared stack's designs, prints its URL on stderr and closes on SIGINT", async () => {
    const env = Object.fromEntries(Object.entries({ ...process.env, LAB_DIR: testStackLabDir(), LAB_RUNTIME: undefined }).filter((entry): entry is [string, string] => entry[1] !== undefined));
    const child = spawn(process.execPath, [path.join(PROJECT_DIR, "bin", "cdc-es-lab.mjs"), "serve", "--port", "0"], { cwd: PROJECT_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
    try {
      const url = await waitFor(async () => /serving the cart API and the live page at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr)?.[1], { what: "serve's URL on stderr", timeoutMs: 120_000, intervalMs: 200 }).catch((error: unknown) => {
        // stderr as it is when the wait gives up, not as it was when the wait began.
        throw new Error(`${error instanceof Error ? error.message : String(error)}\nserve's stderr:\n${stderr}`);
      });
      const cartId = uniqueName("serve").replace("_", "-");
      expect(await postCommands(url, "es", [{ type: "AddItem", cartId, sku: "kiwi", name: "Kiwi", unitPriceCents: 75, quantity: 2 }])).toEqual({ status: 200, json: { results: [{ ok: true }] } });
      expect(await getJson(url, `api/designs/es/carts/${cartId}`)).toMatchObject({ status: 200, json: { cartId, totalCents: 150 } });
      expect(await getJson(url, "api/nothing")).toMatchObject({ status: 404, json: { error: { code: "NotFound" } } });
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited, stderr).toBe(0);
    expect(stderr).toContain("SIGINT: closing");
  });
});
