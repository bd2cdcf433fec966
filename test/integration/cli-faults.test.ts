import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { decide, fold, initialCartState, parseCommand, toCartView } from "../../services/cart/index.ts";
import type { CartState, CartView } from "../../services/cart/index.ts";
import { cdcStateAsOf } from "../../services/crud-cdc/cdc-history.ts";
import { DEFAULT_DESIGNS, openCartDesigns } from "../../services/designs/cart-designs.ts";
import type { WriteDesign } from "../../services/designs/cart-designs.ts";
import { LabError } from "../../services/platform/errors.ts";
import { createLogger } from "../../services/platform/logger.ts";
import { waitFor } from "../../services/platform/wait-for.ts";
import type { StackStatus } from "../../services/runtime/runtime.ts";
import { runCli } from "./support/run-cli.ts";
import { writingCommand } from "./support/writing-commands.ts";
import type { CliResult } from "./support/run-cli.ts";
import { testLabDir, uniqueName } from "./support/test-lab.ts";

/**
 * The fault suite: each component of the stack fails with a real kill -9 (or a `down`) while
 * `apply` writes, in both designs, in a lab directory of its own. Whatever fails, no committed
 * command is lost and none is half-written: the lines answered ok are in, the line in flight (when
 * one fails) is not, and after `up` and re-applying the rest, CRUD, the journal and Debezium's
 * topics hold the same carts.
 */
const labDir = testLabDir(uniqueName("faults"));
const env = { ...process.env, LAB_DIR: labDir, LAB_RUNTIME: undefined };
const cli = (...args: string[]) => runCli(args, env, 300_000);
const CARTS = 40;
// Answers seen before the fault strikes: the apply is well under way, the line in flight is whichever it is then.
const ANSWERS_BEFORE_FAULT = 40;

afterAll(async () => {
  await cli("down", "--purge");
});

async function status(): Promise<StackStatus> {
  return JSON.parse((await cli("status", "--json")).stdout) as StackStatus;
}

function pidOf(current: StackStatus, component: string): number {
  const pid = current.components.find((entry) => entry.component === component)?.pid;
  if (typeof pid !== "number") throw new Error(`no pid for ${component} in ${JSON.stringify(current.components)}`);
  return pid;
}

/** Every line an accepted, writing command over the test's carts. */
function commandLines(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => JSON.stringify(writingCommand(prefix, CARTS, index)));
}

/** The carts the first `count` lines make, folded by the pure domain core: what each design must hold. */
function expectedCarts(lines: string[], count: number): Map<string, CartView | null> {
  const states = new Map<string, CartState>();
  for (const line of lines.slice(0, count)) {
    const parsed = parseCommand(JSON.parse(line));
    if (!parsed.ok) throw new Error(`the test's own command is invalid: ${line}`);
    const state = states.get(parsed.command.cartId) ?? initialCartState();
    const decision = decide(parsed.command, state);
    if (!decision.ok) throw new Error(`the test's own command is rejected: ${line}: ${decision.rejection.message}`);
    states.set(parsed.command.cartId, fold(decision.events, state));
  }
  const carts = new Map<string, CartView | null>();
  for (const line of lines) {
    const cartId = String((JSON.parse(line) as { cartId: string }).cartId);
    carts.set(cartId, toCartView(states.get(cartId) ?? initialCartState()));
  }
  return carts;
}

interface Fault {
  /** What fails: a kill -9 of one component, or the user's `down`. */
  inject: (before: StackStatus) => Promise<CliResult> | void;
  /** PostgreSQL going away fails the line in flight; Kafka or Connect going away fails nothing, since writes need PostgreSQL only. */
  lineFails: boolean;
  lines: number;
}

const kill = (component: string) => (before: StackStatus) => {
  process.kill(pidOf(before, component), "SIGKILL");
};

const faults: Record<string, Fault> = {
  postgres: { inject: kill("postgres"), lineFails: true, lines: 1_200 },
  kafka: { inject: kill("kafka"), lineFails: false, lines: 1_200 },
  connect: { inject: kill("connect"), lineFails: false, lines: 1_200 },
  // `down` stops Connect and Kafka before PostgreSQL: enough lines that the apply is still writing by then.
  down: { inject: () => cli("down"), lineFails: true, lines: 12_000 },
};

interface Answer {
  ok: boolean;
  error?: { code: string };
}

/** What one design's apply answered when the fault struck, checked against the fault's promise. */
function checkAnswers(design: WriteDesign, fault: Fault, result: CliResult, lines: string[]): number {
  const answered = result.stdout.trim().split("\n").map((line) => JSON.parse(line) as Answer);
  // Never a crash: one line on stderr for the user, no stack trace, no unhandled 'error' event.
  expect(result.stderr, design).not.toMatch(/\n\s+at |Unhandled|node:internal/);
  if (!fault.lineFails) {
    expect(result.code, result.stderr).toBe(0);
    expect(answered).toHaveLength(lines.length);
    expect(answered.every((answer) => answer.ok)).toBe(true);
    return answered.length;
  }
  const applied = answered.length - 1;
  expect(result.code, result.stderr).toBe(1);
  expect(answered.slice(0, applied).every((answer) => answer.ok)).toBe(true);
  expect(answered[applied], design).toMatchObject({ ok: false, error: { code: "ComponentFailed" } });
  expect(answered.length, `${design}: the fault struck before the file ended`).toBeLessThan(lines.length);
  expect(result.stderr).toContain("cdc-es-lab: ComponentFailed");
  return applied;
}

/**
 * Both designs apply the whole file at once (two application instances), and the fault strikes
 * once both are under way; then `up`. Returns how many lines each design applied.
 */
async function applyThroughFault(fault: Fault, file: string, lines: string[]): Promise<Record<WriteDesign, number>> {
  const before = await status();
  expect(before.up, JSON.stringify(before.components)).toBe(true);
  const answers: Record<WriteDesign, number> = { crud: 0, es: 0 };
  let injected: Promise<CliResult> | undefined;
  const apply = (design: WriteDesign) =>
    runCli(["apply", "--design", design, file], env, 600_000, {
      onStdout: (stdout) => {
        if (injected !== undefined) return;
        answers[design] = stdout.split("\n").length - 1;
        if (answers.crud >= ANSWERS_BEFORE_FAULT && answers.es >= ANSWERS_BEFORE_FAULT) {
          injected = Promise.resolve(fault.inject(before) ?? { code: 0, stdout: "", stderr: "" });
        }
      },
    });
  const [crud, es] = await Promise.all([apply("crud"), apply("es")]);
  expect(injected, "the fault was injected").toBeDefined();
  const stopped = await injected;
  expect(stopped?.code, stopped?.stderr).toBe(0);
  const applied = { crud: checkAnswers("crud", fault, crud, lines), es: checkAnswers("es", fault, es, lines) };

  const healed = await cli("up");
  expect(healed.code, healed.stderr).toBe(0);
  return applied;
}

describe("the fault suite: a component fails mid-apply", () => {
  it.each(Object.keys(faults))(
    "%s: the lines answered ok are applied, the line in flight is not, nothing is half-written; after up and the rest, crud = es = cdc for every cart",
    async (name) => {
      const fault = faults[name];
      if (fault === undefined) throw new Error(name);
      const up = await cli("up");
      expect(up.code, up.stderr).toBe(0);
      const lines = commandLines(`fault-${name}`, fault.lines);
      const dir = mkdtempSync(path.join(os.tmpdir(), "faults-"));
      const file = path.join(dir, "all.jsonl");
      writeFileSync(file, `${lines.join("\n")}\n`);
      const complete = expectedCarts(lines, lines.length);

      const applied = await applyThroughFault(fault, file, lines);
      console.info(`${name}: of ${lines.length} lines, crud applied ${applied.crud} and es ${applied.es} before the fault's effect`);
      const endpoints = (await status()).endpoints;
      if (endpoints === null) throw new Error("no endpoints after up");
      const partial = await openCartDesigns({ endpoints, logger: createLogger("warn"), ...DEFAULT_DESIGNS });
      try {
        for (const design of ["crud", "es"] as const) {
          // Exactly the lines answered ok: a half-written or an unanswered-but-committed line would show here.
          for (const [cartId, expected] of expectedCarts(lines, applied[design])) {
            expect(await partial.state(design, cartId, null), `${design} ${cartId} after ${applied[design]} lines`).toEqual(expected);
          }
        }
      } finally {
        await partial.close();
      }
      const rests = (["crud", "es"] as const).filter((design) => applied[design] < lines.length);
      const again = await Promise.all(
        rests.map((design) => {
          const rest = path.join(dir, `rest-${design}.jsonl`);
          writeFileSync(rest, `${lines.slice(applied[design]).join("\n")}\n`);
          return cli("apply", "--design", design, rest);
        }),
      );
      for (const result of again) expect(result.code, result.stderr).toBe(0);

      const designs = await openCartDesigns({ endpoints, logger: createLogger("warn"), ...DEFAULT_DESIGNS });
      try {
        for (const [cartId, expected] of complete) {
          expect(await designs.state("crud", cartId, null), `crud ${cartId}`).toEqual(expected);
          expect(await designs.state("es", cartId, null), `es ${cartId}`).toEqual(expected);
        }
        // Debezium streams what it missed once it is back; its topics rebuild every cart.
        let rebuilt = new Map<string, CartView | null>();
        const caughtUp = async () => {
          const history = await designs.cdcHistory();
          rebuilt = new Map([...complete.keys()].map((cartId) => [cartId, cdcStateAsOf(history.get(cartId) ?? [], null)] as const));
          return [...complete].every(([cartId, expected]) => isDeepStrictEqual(rebuilt.get(cartId), expected)) ? true : undefined;
        };
        // On a timeout the last rebuild is compared below, so the failure shows which carts differ.
        await waitFor(caughtUp, { what: "Debezium's topics to hold every cart", timeoutMs: 120_000, intervalMs: 2_000 }).catch((error: unknown) => {
          if (!(error instanceof LabError && error.code === "Timeout")) throw error;
        });
        for (const [cartId, expected] of complete) expect(rebuilt.get(cartId), `cdc ${cartId}`).toEqual(expected);
      } finally {
        await designs.close();
      }
    },
    900_000,
  );
});
