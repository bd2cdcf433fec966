import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUSH_TIMEOUT_MS, expectLivePageFollowsCommands, openLivePageBrowser } from "../support/live-page.ts";
import type { LivePageBrowser } from "../support/live-page.ts";
import { openTestApi } from "./http-api-fixture.ts";

/**
 * The live page in Chromium against the real stack (the API in this process): open it on a
 * cart, send commands through the API, and see both designs' columns show the new events and
 * states, pushed over server-sent events. Any console error or warning fails it. The docker-mode
 * tests run the same check against the compose lab's API.
 */
let api: Awaited<ReturnType<typeof openTestApi>>;
let watched: LivePageBrowser;

beforeAll(async () => {
  api = await openTestApi();
  watched = await openLivePageBrowser(api.url);
});

afterAll(async () => {
  await watched?.close();
  await api?.dispose();
});

const cartId = "page-1";

describe("the live page", () => {
  it("shows the cart in both designs as commands arrive through the API", async () => {
    await expectLivePageFollowsCommands(watched, api.url, cartId);
  }, 180_000);

  it("watched again, replays what the cart already holds; refuses a bad cart id without asking the server", async () => {
    const { page } = watched;
    await page.fill("#cart", cartId);
    await page.click("#cart-form button");
    await page.locator('#journal li[data-type="CheckedOut"]').waitFor({ timeout: PUSH_TIMEOUT_MS });
    expect(await page.locator("#journal li").count()).toBe(3);
    await page.locator('#state-cdc[data-status="checked_out"]').waitFor({ timeout: PUSH_TIMEOUT_MS });
    await page.fill("#cart", "bad id");
    await page.click("#cart-form button");
    expect(await page.locator("#cart-error").textContent()).toContain("a cart id is");
    expect(watched.consoleErrors).toEqual([]);
    expect(watched.pageErrors).toEqual([]);
  }, 120_000);
});
