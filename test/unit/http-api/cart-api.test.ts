import { request } from "node:http";
import type { IncomingHttpHeaders } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CartView } from "../../../services/cart/index.ts";
import type { AsOf, CartDesigns, ReadDesign, WriteDesign } from "../../../services/designs/cart-designs.ts";
import { createCartApi } from "../../../services/http-api/cart-api.ts";
import { listenCartApi } from "../../../services/http-api/listen-cart-api.ts";
import type { ServingCartApi } from "../../../services/http-api/listen-cart-api.ts";
import { LabError } from "../../../services/platform/errors.ts";
import { createLogger } from "../../../services/platform/logger.ts";

/**
 * The API over a real loopback socket, with the designs faked: routing, request decoding, the
 * body limit and the error mapping, without a stack. What reaches the designs is recorded, so
 * "nothing was applied" is checked, not assumed.
 */
const LIMIT = 4096;
const view: CartView = { cartId: "101", status: "open", items: [{ sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 2 }], discounts: [], subtotalCents: 200, totalCents: 200 };
const add = (cartId = "101") => ({ type: "AddItem", cartId, sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 1 });

let applied: { design: WriteDesign; command: unknown; metadata: unknown }[] = [];
let stateCalls: { design: ReadDesign; cartId: string; asOf: AsOf }[] = [];
let failWith: unknown = null;
let failAfter = Infinity;

const designs = {
  async applyRaw(design: WriteDesign, command: unknown, metadata: unknown) {
    if (applied.length >= failAfter) throw failWith;
    applied.push({ design, command, metadata });
    return (command as { cartId: string }).cartId === "done" ? { ok: false, error: { code: "CartCheckedOut", message: "cart done is checked out" } } : { ok: true };
  },
  async state(design: ReadDesign, cartId: string, asOf: AsOf) {
    stateCalls.push({ design, cartId, asOf });
    if (failWith !== null) throw failWith;
    return cartId === "101" ? view : null;
  },
  history: async () => [{ streamVersion: 1 }],
  cdcTransactions: async () => [{ txId: 1 }],
  audit: async () => [{ operation: "ItemAdded" }],
  cdcAudit: async () => [],
  pool: {},
  changeFeed: {},
} as unknown as CartDesigns;

let serving: ServingCartApi;
beforeAll(async () => {
  const api = createCartApi({ designs, journalSchema: "journal", cdcTopics: [], kafkaBrokers: ["127.0.0.1:1"], logger: createLogger("silent"), bodyLimitBytes: LIMIT });
  serving = await listenCartApi(api, { host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await serving?.close();
});
beforeEach(() => {
  applied = [];
  stateCalls = [];
  failWith = null;
  failAfter = Infinity;
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: unknown;
}

/** One request; `chunks` are written one by one (chunked unless a Content-Length header is given) and `end: false` leaves the body open. */
function send(method: string, path: string, options: { headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[]; end?: boolean } = {}): Promise<Answer> {
  const url = new URL(path, serving.url);
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method, headers: options.headers ?? {} }, (response) => {
      const parts: Buffer[] = [];
      response.on("data", (chunk: Buffer) => parts.push(chunk));
      response.on("end", () => {
        const text = Buffer.concat(parts).toString("utf8");
        let json: unknown = null;
        if ((response.headers["content-type"] ?? "").startsWith("application/json")) json = JSON.parse(text);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
      });
    });
    // The server may close the connection while the body is still being written (413): the answer counts, not the write.
    outgoing.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
    });
    for (const chunk of options.chunks ?? []) outgoing.write(chunk);
    if (options.end === false) return;
    outgoing.end(options.body);
  });
}

const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  send("POST", path, { headers: { "Content-Type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });

function expectError(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.json).toMatchObject({ error: { code, message: expect.any(String) } });
  expect(answer.text).not.toMatch(/\n\s+at /);
}

describe("POST /api/designs/{design}/commands", () => {
  it("applies each command in order and answers one result per command, as apply prints them", async () => {
    const answer = await postJson("/api/designs/es/commands", { commands: [add(), add("done"), { command: add(), metadata: { actor: "bob" } }], metadata: { actor: "alice", reason: "shop" } });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ results: [{ ok: true }, { ok: false, error: { code: "CartCheckedOut", message: "cart done is checked out" } }, { ok: true }] });
    expect(applied.map((entry) => [entry.design, entry.metadata])).toEqual([
      ["es", { actor: "alice", reason: "shop" }],
      ["es", { actor: "alice", reason: "shop" }],
      ["es", { actor: "bob" }],
    ]);
  });

  it("takes application/json with charset=utf-8", async () => {
    expect((await postJson("/api/designs/crud/commands", [add()], { "Content-Type": "application/json; charset=UTF-8" })).status).toBe(200);
    expect(applied).toHaveLength(1);
  });

  it.each([
    ["malformed JSON", '[{"type":"AddItem",'],
    ["not the shape", '{"type":"AddItem"}'],
    ["an unknown command type", JSON.stringify([add(), { type: "Teleport", cartId: "101" }])],
    ["wrong field types", JSON.stringify([add(), { ...add(), quantity: "1" }])],
    ["bad metadata", JSON.stringify({ commands: [add()], metadata: { actor: 7 } })],
  ])("refuses %s with 400 ValidationFailed and applies nothing", async (_what, body) => {
    expectError(await postJson("/api/designs/crud/commands", body), 400, "ValidationFailed");
    expect(applied).toEqual([]);
  });

  it("refuses a body that is not UTF-8", async () => {
    const answer = await send("POST", "/api/designs/es/commands", { headers: { "Content-Type": "application/json" }, body: Buffer.from([0x5b, 0xff, 0x5d]) });
    expectError(answer, 400, "ValidationFailed");
    expect(applied).toEqual([]);
  });

  it.each([[undefined], ["text/plain"], ["application/x-www-form-urlencoded"], ["application/json; charset=latin1"]])("refuses Content-Type %s with 415", async (contentType) => {
    const answer = await send("POST", "/api/designs/es/commands", { headers: contentType === undefined ? {} : { "Content-Type": contentType }, body: JSON.stringify([add()]) });
    expectError(answer, 415, "UnsupportedMediaType");
    expect(applied).toEqual([]);
  });

  it("refuses a declared body over the limit with 413 before reading it, and closes the connection", async () => {
    const answer = await send("POST", "/api/designs/es/commands", { headers: { "Content-Type": "application/json", "Content-Length": String(LIMIT * 10) }, chunks: [Buffer.from("[")], end: false });
    expectError(answer, 413, "PayloadTooLarge");
    expect(answer.headers["connection"]).toBe("close");
    expect(applied).toEqual([]);
  });

  it("stops reading a chunked body as soon as it passes the limit: the 413 comes while the client is still sending", async () => {
    // The request is never ended: an answer can only come from the server giving up on the body.
    const answer = await send("POST", "/api/designs/es/commands", { headers: { "Content-Type": "application/json" }, chunks: [Buffer.alloc(LIMIT + 1, 0x20)], end: false });
    expectError(answer, 413, "PayloadTooLarge");
    expect(applied).toEqual([]);
  });

  it("accepts a body right at the limit", async () => {
    const body = JSON.stringify([add()]);
    expect((await postJson("/api/designs/es/commands", body.padEnd(LIMIT, " "))).status).toBe(200);
  });

  it("has no commands route for cdc, which is read from the topics", async () => {
    expectError(await postJson("/api/designs/cdc/commands", [add()]), 404, "NotFound");
    expectError(await postJson("/api/designs/mongo/commands", [add()]), 404, "NotFound");
  });

  it("answers 503 with the results so far when the stack fails mid-batch", async () => {
    failAfter = 1;
    failWith = new LabError("ComponentFailed", "PostgreSQL went away");
    const answer = await postJson("/api/designs/crud/commands", [add(), add(), add()]);
    expectError(answer, 503, "ComponentFailed");
    expect(answer.json).toMatchObject({ error: { message: "PostgreSQL went away", details: { results: [{ ok: true }], failedIndex: 1 } } });
  });

  it("refuses query parameters it does not take", async () => {
    expectError(await postJson("/api/designs/es/commands?dryRun=1", [add()]), 400, "ValidationFailed");
    expect(applied).toEqual([]);
  });
});

describe("GET /api/designs/{design}/carts/{cartId}", () => {
  it("answers the CartView", async () => {
    const answer = await send("GET", "/api/designs/cdc/carts/101");
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual(view);
    expect(stateCalls).toEqual([{ design: "cdc", cartId: "101", asOf: null }]);
  });

  it("passes at and version on as the CLI does", async () => {
    await send("GET", "/api/designs/es/carts/101?version=3");
    await send("GET", "/api/designs/cdc/carts/101?at=2026-11-30T11:42:00%2B01:00");
    expect(stateCalls.map((call) => call.asOf)).toEqual([{ version: 3 }, { at: "2026-11-30T10:42:00.000Z" }]);
  });

  it("answers 404 CartNotFound for a cart the design does not know", async () => {
    expectError(await send("GET", "/api/designs/es/carts/nobody"), 404, "CartNotFound");
  });

  it("answers 422 Unsupported when the crud design is asked for the past, without asking it", async () => {
    for (const query of ["at=2026-11-30T10:42:00Z", "version=2"]) {
      const answer = await send("GET", `/api/designs/crud/carts/101?${query}`);
      expectError(answer, 422, "Unsupported");
      expect(answer.json).toMatchObject({ error: { details: { hint: expect.stringContaining("/api/designs/cdc/carts/101") } } });
    }
    expect(stateCalls).toEqual([]);
  });

  it.each(["/api/designs/es/carts/101?version=x", "/api/designs/es/carts/101?at=yesterday", "/api/designs/es/carts/101?at=2026-11-30T10:42:00Z&version=1", "/api/designs/es/carts/bad%20id", "/api/designs/es/carts/101?cart=1"])(
    "answers 400 ValidationFailed for %s",
    async (path) => {
      expectError(await send("GET", path), 400, "ValidationFailed");
      expect(stateCalls).toEqual([]);
    },
  );

  it("answers 503 with the code when the stack is down, 500 without internals for anything else", async () => {
    failWith = new LabError("NotRunning", "the stack is not up");
    expectError(await send("GET", "/api/designs/es/carts/101"), 503, "NotRunning");
    failWith = new TypeError("Cannot read properties of undefined (reading 'rows') at pool.js:12");
    const answer = await send("GET", "/api/designs/es/carts/101");
    expectError(answer, 500, "ComponentFailed");
    expect(answer.text).not.toContain("rows");
  });
});

describe("history and audit", () => {
  it("answer the CLI's --json arrays for es and cdc", async () => {
    expect((await send("GET", "/api/designs/es/carts/101/history")).json).toEqual([{ streamVersion: 1 }]);
    expect((await send("GET", "/api/designs/cdc/carts/101/history")).json).toEqual([{ txId: 1 }]);
    expect((await send("GET", "/api/designs/es/carts/101/audit")).json).toEqual([{ operation: "ItemAdded" }]);
    expect((await send("GET", "/api/designs/cdc/carts/101/audit")).json).toEqual([]);
  });

  it("have no crud design: its tables keep no history", async () => {
    expectError(await send("GET", "/api/designs/crud/carts/101/history"), 404, "NotFound");
  });
});

describe("routing", () => {
  it("answers 404 NotFound for an unknown route and 405 with Allow for a wrong method", async () => {
    expectError(await send("GET", "/api/carts"), 404, "NotFound");
    const answer = await send("PUT", "/api/designs/es/carts/101");
    expectError(answer, 405, "MethodNotAllowed");
    expect(answer.headers["allow"]).toBe("GET");
  });

  it("serves the page with its security policy, and the OpenAPI description", async () => {
    const page = await send("GET", "/?cart=abc");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(page.text).toContain("<!doctype html>");
    const openapi = await send("GET", "/api/openapi.json");
    expect(openapi.json).toMatchObject({ openapi: "3.1.0" });
  });
});
