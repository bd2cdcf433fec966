import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApi, postCommands } from "./http-api-fixture.ts";

/**
 * The live page in Debian's Chromium (playwright-core, no browser download), against the real
 * stack: open it on a cart, send commands through the API, and see both designs' columns show
 * the new events (the journal's, and Debezium's change events with the writer's intent) and
 * the states, pushed over server-sent events. Any console error or warning fails it.
 */
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const PUSH_TIMEOUT_MS = 60_000;

let browser: Browser;
let api: Awaited<ReturnType<typeof openTestApi>>;
let page: Page;
const consoleErrors: string[] = [];
const pageErrors: string[] = [];
const foreignRequests: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
  api = await openTestApi();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("request", (request) => {
    if (!request.url().startsWith(api.url)) foreignRequests.push(request.url());
  });
});

afterAll(async () => {
  await page?.close();
  await browser?.close();
  await api?.dispose();
});

const cartId = "page-1";
const metadata = { actor: "alice", reason: "weekly shop" };

describe("the live page", () => {
  it("shows the cart in both designs as commands arrive through the API", async () => {
    await page.goto(`${api.url}?cart=${cartId}`, { waitUntil: "load" });
    expect(await page.title()).toBe(`cart ${cartId} · cdc-es-lab`);
    // Both feeds say they are live before anything is written: what follows is pushed, not loaded.
    await page.locator('#feed-es[data-status="live"]').waitFor({ timeout: PUSH_TIMEOUT_MS });
    await page.locator('#feed-cdc[data-status="live"]').waitFor({ timeout: PUSH_TIMEOUT_MS });
    await page.locator('#state-es[data-status="none"]').waitFor({ timeout: PUSH_TIMEOUT_MS });
    await page.locator('#state-crud[data-status="none"]').waitFor({ timeout: PUSH_TIMEOUT_MS });
    expect(await page.locator("#journal li").count()).toBe(0);
    expect(await page.locator("#changes li").count()).toBe(0);

    const commands = {
      commands: [
        { type: "AddItem", cartId, sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 2 },
        { command: { type: "ApplyDiscount", cartId, discountId: "b2", sku: "banana", minQuantity: 2, amountCents: -10 }, metadata: { actor: "pricing-bot", reason: "banana promotion" } },
      ],
      metadata,
    };
    for (const design of ["crud", "es"]) expect(await postCommands(api.url, design, commands)).toEqual({ status: 200, json: { results: [{ ok: true }, { ok: true }] } });

    // Design 2: the journal's two events, newest first, with who and why.
    await page.locator("#journal li").nth(1).waitFor({ timeout: PUSH_TIMEOUT_MS });
    expect(await page.locator("#journal li").evaluateAll((items) => items.map((item) => item.getAttribute("data-type")))).toEqual(["DiscountApplied", "ItemAdded"]);
    expect(await page.locator("#journal li").first().textContent()).toContain("by pricing-bot — banana promotion");
    await page.locator('#state-es[data-total="190"]').waitFor({ timeout: PUSH_TIMEOUT_MS });

    // Design 1: the tables at once, then Debezium's change events and the state replayed from them.
    await page.locator('#state-crud[data-total="190"]').waitFor({ timeout: PUSH_TIMEOUT_MS });
    await page.locator('#state-cdc[data-total="190"]').waitFor({ timeout: PUSH_TIMEOUT_MS });
    await page.locator('#changes li[data-kind="intent"]').nth(1).waitFor({ timeout: PUSH_TIMEOUT_MS });
    const rows = await page.locator('#changes li[data-kind="row"]').evaluateAll((items) => items.map((item) => item.getAttribute("data-op")));
    // The first command inserts the carts and cart_items rows, the second the cart_discounts row (and may touch carts).
    expect(rows.filter((op) => op === "c").length).toBeGreaterThanOrEqual(3);
    const intents = await page.locator('#changes li[data-kind="intent"]').allTextContents();
    expect(intents.some((text) => text.includes("ApplyDiscount") && text.includes("by pricing-bot — banana promotion"))).toBe(true);
    expect(intents.some((text) => text.includes("AddItem") && text.includes("by alice — weekly shop"))).toBe(true);

    // A checkout shows up in both columns too.
    for (const design of ["crud", "es"]) expect((await postCommands(api.url, design, { commands: [{ type: "CheckOut", cartId }], metadata })).status).toBe(200);
    await page.locator('#journal li[data-type="CheckedOut"]').waitFor({ timeout: PUSH_TIMEOUT_MS });
    for (const design of ["crud", "es", "cdc"]) await page.locator(`#state-${design}[data-status="checked_out"]`).waitFor({ timeout: PUSH_TIMEOUT_MS });

    expect(await page.locator("#problems li").allTextContents()).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  }, 180_000);

  it("watched again, replays what the cart already holds; refuses a bad cart id without asking the server", async () => {
    await page.fill("#cart", cartId);
    await page.click("#cart-form button");
    await page.locator('#journal li[data-type="CheckedOut"]').waitFor({ timeout: PUSH_TIMEOUT_MS });
    expect(await page.locator("#journal li").count()).toBe(3);
    await page.locator('#state-cdc[data-status="checked_out"]').waitFor({ timeout: PUSH_TIMEOUT_MS });
    await page.fill("#cart", "bad id");
    await page.click("#cart-form button");
    expect(await page.locator("#cart-error").textContent()).toContain("a cart id is");
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
