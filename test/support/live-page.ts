import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import type { Browser, Page } from "playwright-core";
import { expect } from "vitest";
import { postCommands } from "./cart-api-client.ts";

/**
 * The live page in Debian's Chromium (playwright-core, no browser download), wherever the API
 * runs: what it shows of a cart as commands arrive through the API, and every console error,
 * page error and request to another origin it made meanwhile.
 */
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
export const PUSH_TIMEOUT_MS = 60_000;

export interface LivePageBrowser {
  page: Page;
  consoleErrors: string[];
  pageErrors: string[];
  foreignRequests: string[];
  close(): Promise<void>;
}

export async function openLivePageBrowser(apiUrl: string): Promise<LivePageBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const watched: LivePageBrowser = {
    page,
    consoleErrors: [],
    pageErrors: [],
    foreignRequests: [],
    async close() {
      await page.close();
      await browser.close();
    },
  };
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") watched.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => watched.pageErrors.push(error.message));
  page.on("request", (request) => {
    if (!request.url().startsWith(apiUrl)) watched.foreignRequests.push(request.url());
  });
  return watched;
}

/**
 * Opens the page on a new cart, sends commands to both designs through the API, and sees both
 * columns show them, pushed: the journal's events with who and why, the tables' state at once,
 * Debezium's change events with the writer's intent and the state replayed from them; then a
 * checkout in every column. Nothing was written to the cart before.
 */
export async function expectLivePageFollowsCommands(watched: LivePageBrowser, apiUrl: string, cartId: string): Promise<void> {
  const { page } = watched;
  const metadata = { actor: "alice", reason: "weekly shop" };
  await page.goto(`${apiUrl}?cart=${cartId}`, { waitUntil: "load" });
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
  for (const design of ["crud", "es"]) expect(await postCommands(apiUrl, design, commands)).toEqual({ status: 200, json: { results: [{ ok: true }, { ok: true }] } });

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
  for (const design of ["crud", "es"]) expect((await postCommands(apiUrl, design, { commands: [{ type: "CheckOut", cartId }], metadata })).status).toBe(200);
  await page.locator('#journal li[data-type="CheckedOut"]').waitFor({ timeout: PUSH_TIMEOUT_MS });
  for (const design of ["crud", "es", "cdc"]) await page.locator(`#state-${design}[data-status="checked_out"]`).waitFor({ timeout: PUSH_TIMEOUT_MS });

  expect(await page.locator("#problems li").allTextContents()).toEqual([]);
  expect(watched.consoleErrors).toEqual([]);
  expect(watched.pageErrors).toEqual([]);
  expect(watched.foreignRequests).toEqual([]);
}
