import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import type { RowChangeEvent } from "../../services/crud-cdc/change-event.ts";
import { createKafkaChangeFeed } from "../../services/crud-cdc/kafka-change-feed.ts";
import { createLogger } from "../../services/platform/logger.ts";
import { waitFor } from "../../services/platform/wait-for.ts";
import { SENTINEL_TOPIC } from "../../services/runtime/lab-connector.ts";
import { isPortFree } from "../../services/runtime/local/ports.ts";
import { isRunning } from "../../services/runtime/local/processes.ts";
import type { StackStatus } from "../../services/runtime/runtime.ts";
import { runCli } from "./support/run-cli.ts";
import { testLabDir, uniqueName } from "./support/test-lab.ts";

/**
 * The stack's life as a user drives it from the CLI, in a lab directory of its own (a second
 * stack beside the shared test stack, so stopping it disturbs no other test).
 */
const labDir = testLabDir(uniqueName("cli"));
const env = { ...process.env, LAB_DIR: labDir, LAB_RUNTIME: undefined };
const cli = (...args: string[]) => runCli(args, env);

// A process that exited but was not reaped yet (a zombie) counts as gone.
const isAlive = (pid: number): boolean => isRunning(pid, "");

async function status(): Promise<{ code: number | null; status: StackStatus }> {
  const result = await cli("status", "--json");
  return { code: result.code, status: JSON.parse(result.stdout) as StackStatus };
}

const pidOf = (status: StackStatus, component: string) => status.components.find((entry) => entry.component === component)?.pid ?? null;

afterAll(async () => {
  await cli("down", "--purge");
});

describe("cdc-es-lab up / status / down", () => {
  let first: StackStatus;

  it("up starts every component, shows progress on stderr and the status on stdout; a second up at the same time waits for it and changes nothing", async () => {
    const [one, two] = await Promise.all([cli("up"), cli("up")]);
    const [result, waiter] = one.stderr.includes("sentinel row on its topic ok") ? [one, two] : [two, one];
    expect(result.stderr, result.stderr).toContain("sentinel row on its topic ok");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/stack: up/);
    // One stack: the other up waited on the lab lock, then found everything running.
    expect(waiter.code, waiter.stderr).toBe(0);
    expect(waiter.stderr).toMatch(/waiting for pid \d+ \(up\) to finish with the lab/);
    expect(waiter.stderr).toContain("already up; nothing changed");
    const { code, status: current } = await status();
    expect(code).toBe(0);
    expect(current.up).toBe(true);
    for (const component of current.components) expect(component.up, JSON.stringify(component)).toBe(true);
    for (const component of ["postgres", "kafka", "connect"]) {
      const entry = current.components.find((candidate) => candidate.component === component);
      expect(entry?.pid).toEqual(expect.any(Number));
      expect(entry?.port).toEqual(expect.any(Number));
      expect(entry?.version).toEqual(expect.any(String));
      expect(entry?.rssBytes).toBeGreaterThan(0);
    }
    first = current;
  });

  it("up while up reports the status and changes nothing", async () => {
    const result = await cli("up");
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("already up; nothing changed");
    const { status: again } = await status();
    for (const component of ["postgres", "kafka", "connect"]) expect(pidOf(again, component)).toBe(pidOf(first, component));
  });

  it("after kill -9 of Connect, status says connect is down and up brings it back, resuming from the stored offset", async () => {
    const connectPid = pidOf(first, "connect");
    expect(connectPid).not.toBeNull();
    process.kill(connectPid ?? 0, "SIGKILL");
    await waitFor(async () => (isAlive(connectPid ?? 0) ? undefined : true), { what: "Connect to die", timeoutMs: 10_000 });

    const { code, status: broken } = await status();
    expect(code).toBe(3);
    expect(broken.up).toBe(false);
    expect(broken.components.find((entry) => entry.component === "connect")?.up).toBe(false);
    expect(broken.components.find((entry) => entry.component === "postgres")?.up).toBe(true);

    // The application's writes do not wait for the CDC pipeline: both designs apply, and the CLI says the feed is down.
    const commands = path.join(mkdtempSync(path.join(os.tmpdir(), "apply-")), "down.jsonl");
    writeFileSync(commands, `${JSON.stringify({ type: "AddItem", cartId: "while-down", sku: "kiwi", name: "Kiwi", unitPriceCents: 50, quantity: 1 })}\n`);
    for (const design of ["crud", "es"]) {
      const applied = await cli("apply", "--design", design, commands);
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stdout.trim()).toBe('{"ok":true}');
      expect(applied.stderr).toContain("the change feed is down (connect, connector)");
    }
    // Meanwhile the sentinel's slot has no reader and keeps WAL: status says so, per slot, and warns above the threshold.
    const slotStatus = await runCli(["status", "--json"], { ...env, LAB_SLOT_WAL_WARN_BYTES: "0" });
    const report = JSON.parse(slotStatus.stdout) as { slots: { slotName: string; active: boolean; retainedBytes: number }[]; warnings: string[] };
    const sentinelSlot = report.slots.find((slot) => slot.slotName === "lab_sentinel_slot");
    expect(sentinelSlot).toMatchObject({ active: false, retainedBytes: expect.any(Number) });
    expect(sentinelSlot?.retainedBytes).toBeGreaterThan(0);
    expect(report.warnings.join("\n")).toMatch(/slot lab_sentinel_slot retains [\d.]+ MiB of WAL: nothing reads it/);
    expect(slotStatus.stderr).toContain("warning: slot lab_sentinel_slot");

    // Changes made while Connect is dead must arrive after it returns, streamed (op c), not re-snapshotted.
    const whileDown = randomUUID();
    const endpoints = broken.endpoints;
    expect(endpoints).not.toBeNull();
    const client = new pg.Client({ connectionString: endpoints?.postgresUrl });
    await client.connect();
    await client.query("INSERT INTO lab_sentinel (sentinel_id) VALUES ($1)", [whileDown]);
    await client.end();

    const result = await cli("up");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("started: connect");
    const { status: healed } = await status();
    expect(healed.up).toBe(true);
    expect(pidOf(healed, "kafka")).toBe(pidOf(first, "kafka"));
    expect(pidOf(healed, "connect")).not.toBe(connectPid);

    const events: RowChangeEvent[] = [];
    const subscription = await createKafkaChangeFeed({ brokers: endpoints?.kafkaBrokers ?? [], logger: createLogger("warn") }).subscribe(
      { groupId: uniqueName("resume"), topics: [SENTINEL_TOPIC], fromBeginning: true },
      async (event) => {
        if (event.kind === "row") events.push(event);
      },
    );
    try {
      const arrived = await waitFor(async () => events.find((event) => event.after?.["sentinel_id"] === whileDown), { what: "the row written while Connect was down", timeoutMs: 60_000 });
      expect(arrived.op).toBe("c");
      // Resuming from the stored offset means no second initial snapshot: no op r anywhere.
      expect(events.filter((event) => event.op === "r")).toEqual([]);
    } finally {
      await subscription.stop();
    }
  });

  it("down stops every process and frees every port; up after down works again", async () => {
    const { status: before } = await status();
    const pids = ["postgres", "kafka", "connect"].map((component) => pidOf(before, component) ?? 0);
    const state = JSON.parse(readFileSync(path.join(labDir, "state.json"), "utf8")) as { ports: Record<string, number> };

    const result = await cli("down");
    expect(result.code, result.stderr).toBe(0);
    for (const pid of pids) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    for (const port of Object.values(state.ports)) expect(await isPortFree(port), `port ${port}`).toBe(true);
    const { code, status: stopped } = await status();
    expect(code).toBe(3);
    expect(stopped.components.every((component) => !component.up)).toBe(true);

    const again = await cli("up");
    expect(again.code, again.stderr).toBe(0);
    expect((await status()).status.up).toBe(true);
  });

  it("logs prints the last lines of each component's log", async () => {
    const result = await cli("logs", "kafka", "--lines", "5");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("==> kafka <==");
    expect(result.stdout.trim().split("\n").length).toBeLessThanOrEqual(6);
    expect(result.stdout).toMatch(/\[\d{4}-\d{2}-\d{2}/);
  });
});
