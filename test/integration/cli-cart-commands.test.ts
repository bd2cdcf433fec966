import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { waitFor } from "../../services/platform/wait-for.ts";
import { runCli } from "./support/run-cli.ts";
import { testStackLabDir, uniqueName } from "./support/test-lab.ts";

/** apply / state / history / audit as a user runs them, on the shared test stack. */
const env = { ...process.env, LAB_DIR: testStackLabDir(), LAB_RUNTIME: undefined };
const cli = (...args: string[]) => runCli(args, env);
const cartId = uniqueName("cli").replace("_", "-");

function seedFile(): string {
  const lines = [
    { command: { type: "AddItem", cartId, sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 1 }, metadata: { actor: "alice" } },
    { command: { type: "AddItem", cartId, sku: "apple", name: "Apple", unitPriceCents: 150, quantity: 1 }, metadata: { actor: "alice" } },
    { type: "AddItem", cartId, sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 1 },
    { command: { type: "RemoveItem", cartId, sku: "apple" }, metadata: { actor: "alice" } },
    { command: { type: "ApplyDiscount", cartId, discountId: "banana-2", sku: "banana", minQuantity: 2, amountCents: -10 }, metadata: { actor: "pricing-bot", reason: "promotion" } },
    { command: { type: "AddItem", cartId, sku: "mango", name: "Mango", unitPriceCents: 200, quantity: 1 }, metadata: { actor: "alice" } },
    { command: { type: "CheckOut", cartId }, metadata: { actor: "alice" } },
    { command: { type: "CheckOut", cartId }, metadata: { actor: "alice" } },
  ];
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "apply-")), "seed.jsonl");
  writeFileSync(file, `${lines.map((line) => JSON.stringify(line)).join("\n")}\nnot json\n`);
  return file;
}

describe("the cart commands of the CLI", () => {
  it("apply prints one JSON result per line, for both designs, and exits 4 because two lines were rejected", async () => {
    const file = seedFile();
    for (const design of ["crud", "es"]) {
      const result = await cli("apply", "--design", design, file);
      expect(result.code, result.stderr).toBe(4);
      const lines = result.stdout.trim().split("\n").map((line) => JSON.parse(line) as { ok: boolean; error?: { code: string } });
      expect(lines.slice(0, 7).every((line) => line.ok)).toBe(true);
      expect(lines[7]).toMatchObject({ ok: false, error: { code: "CartCheckedOut" } });
      expect(lines[8]).toMatchObject({ ok: false, error: { code: "ValidationFailed" } });
    }
  });

  it("state --json is the same JSON from crud, es and (once caught up) cdc", async () => {
    const crud = await cli("state", "--design", "crud", "--cart", cartId, "--json");
    expect(JSON.parse(crud.stdout)).toMatchObject({ cartId, status: "checked_out", totalCents: 390 });
    const es = await cli("state", "--design", "es", "--cart", cartId, "--json");
    expect(es.stdout).toBe(crud.stdout);
    const cdc = await waitFor(async () => {
      const result = await cli("state", "--design", "cdc", "--cart", cartId, "--json");
      return result.stdout === crud.stdout ? result : undefined;
    }, { what: "the CDC state to catch up", timeoutMs: 60_000, intervalMs: 500 });
    expect(cdc.code).toBe(0);
  });

  it("answers the past from es and cdc, and refuses it from crud with Unsupported", async () => {
    const es = await cli("state", "--design", "es", "--cart", cartId, "--version", "2", "--json");
    expect(JSON.parse(es.stdout)).toMatchObject({ status: "open", items: [{ sku: "apple" }, { sku: "banana" }] });
    const cdc = await cli("state", "--design", "cdc", "--cart", cartId, "--version", "2", "--json");
    expect(cdc.stdout).toBe(es.stdout);
    const crud = await cli("state", "--design", "crud", "--cart", cartId, "--at", "2026-01-01T10:42:00Z");
    expect(crud.code).toBe(1);
    expect(crud.stderr).toContain("Unsupported: the CRUD tables keep only the present");
  });

  it("audit says who and why in es; history lists the events", async () => {
    const audit = await cli("audit", "--design", "es", "--cart", cartId, "--json");
    const entries = JSON.parse(audit.stdout) as { operation: string; actor: string | null; reason: string | null }[];
    expect(entries.map((entry) => entry.operation)).toEqual(["ItemAdded", "ItemAdded", "ItemAdded", "ItemRemoved", "DiscountApplied", "ItemAdded", "CheckedOut"]);
    expect(entries[4]).toMatchObject({ actor: "pricing-bot", reason: "promotion" });
    // The third line had no metadata of its own: apply's --actor default.
    expect(entries[2]?.actor).toBe("cli");
    const history = await cli("history", "--design", "es", "--cart", cartId, "--json");
    expect((JSON.parse(history.stdout) as unknown[]).length).toBe(7);
  });

  it("apply exits 0 when every line was accepted", async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "apply-")), "ok.jsonl");
    const other = `${cartId}-ok`;
    writeFileSync(file, `${JSON.stringify({ type: "AddItem", cartId: other, sku: "kiwi", name: "Kiwi", unitPriceCents: 50, quantity: 1 })}\n`);
    const result = await cli("apply", "--design", "es", file);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('{"ok":true}');
  });

  it("a missing input file is one clear error, not the usage text", async () => {
    const result = await cli("apply", "--design", "crud", "/nonexistent/commands.jsonl");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("InputUnreadable: cannot read /nonexistent/commands.jsonl");
    expect(result.stderr).not.toContain("usage:");
  });

  it("refuses lax times, versions and cart ids before touching the stack", async () => {
    for (const at of ["1", "2024", "Tuesday 5", "2024-02-30T00:00:00Z", "+010000-01-01T00:00:00Z", "2026-01-01T10:42:00"]) {
      const result = await cli("state", "--design", "es", "--cart", cartId, "--at", at);
      expect(result.code, at).toBe(2);
      expect(result.stderr, at).toContain("--at");
    }
    // "-1" never reaches the check: the argument parser already takes it for a flag (also exit 2).
    expect((await cli("state", "--design", "es", "--cart", cartId, "--version", "-1")).code).toBe(2);
    for (const version of ["2147483648", "1e21", "", "0x3"]) {
      const result = await cli("state", "--design", "es", "--cart", cartId, "--version", version);
      expect(result.code, version).toBe(2);
      expect(result.stderr, version).toContain("--version must be a whole number from 0 to 2147483647");
    }
    expect((await cli("state", "--design", "es", "--cart", "no such cart")).code).toBe(2);
    const twice = await cli("state", "--design", "es", "--design", "crud", "--cart", cartId);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain("--design was given more than once");
  });

  it("bad usage is exit 2", async () => {
    expect((await cli("state", "--design", "mongo", "--cart", cartId)).code).toBe(2);
    expect((await cli("history", "--design", "crud", "--cart", cartId)).code).toBe(2);
    expect((await cli("state", "--design", "es")).code).toBe(2);
  });
});
