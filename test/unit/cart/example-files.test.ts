import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { decide, evolve, initialCartState, parseCommandInput, toCartView } from "../../../services/cart/index.ts";
import type { CartState } from "../../../services/cart/index.ts";
import { seedView } from "../../support/cart-commands.ts";

/** The README's `apply` example must be a valid command file that yields the seed cart. */
const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

describe("examples/seed-cart-101.jsonl", () => {
  it("holds valid commands with metadata that check cart 101 out at 390", () => {
    const lines = readFileSync(path.join(projectDir, "examples", "seed-cart-101.jsonl"), "utf8").trim().split("\n");
    let state: CartState = initialCartState();
    for (const line of lines) {
      const { command, metadata } = JSON.parse(line) as { command: unknown; metadata: unknown };
      const parsed = parseCommandInput(command, metadata, "2026-01-01T00:00:00.000Z", () => "example");
      if (!parsed.ok) throw new Error(`invalid line ${line}: ${JSON.stringify(parsed.result)}`);
      const decision = decide(parsed.command, state);
      if (!decision.ok) throw new Error(`rejected line ${line}: ${decision.rejection.code}`);
      state = decision.events.reduce(evolve, state);
    }
    expect(toCartView(state)).toEqual(seedView("101", "banana-2-for-less"));
  });
});
