/**
 * `npm run bench`: commands per second of both designs, one writer and eight, beside a raw
 * PostgreSQL INSERT baseline measured in the same run, and how long Debezium's topics take to
 * catch up with the CRUD tables. Ratios, not absolute numbers, are what to compare: the machines
 * are shared and noisy.
 */
import pg from "pg";
import { generateCartWorkload } from "../scenarios/workload/cart-workload.ts";
import type { WorkloadCommand } from "../scenarios/workload/cart-workload.ts";
import { openCartDesigns } from "../services/designs/cart-designs.ts";
import type { CartDesigns, WriteDesign } from "../services/designs/cart-designs.ts";
import { loadConfig } from "../services/platform/config.ts";
import { createLogger } from "../services/platform/logger.ts";
import { createStderrProgress } from "../services/platform/progress.ts";
import { chooseRuntimeKind, createRuntime } from "../services/runtime/create-runtime.ts";

const COMMANDS = Number(process.argv[2] ?? 10_000);
const run = `b${Date.now().toString(36)}`;

async function timeWorkload(designs: CartDesigns, design: WriteDesign, workload: WorkloadCommand[], writers: number): Promise<number> {
  // Each writer takes the commands of its own carts, so the eight writers never fight over a cart's lock.
  const lanes: WorkloadCommand[][] = Array.from({ length: writers }, () => []);
  for (const entry of workload) {
    const cartId = String(entry.command["cartId"]);
    let hash = 0;
    for (const char of cartId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
    lanes[hash % writers]?.push(entry);
  }
  const started = performance.now();
  await Promise.all(
    lanes.map(async (lane) => {
      for (const entry of lane) await designs.applyRaw(design, entry.command, entry.metadata);
    }),
  );
  return workload.length / ((performance.now() - started) / 1000);
}

async function rawInsertRate(url: string, rows: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE TABLE bench_${run}_raw (id int PRIMARY KEY, payload jsonb NOT NULL)`);
    const started = performance.now();
    for (let id = 0; id < rows; id += 1) await client.query(`INSERT INTO bench_${run}_raw VALUES ($1, $2)`, [id, { id }]);
    const rate = rows / ((performance.now() - started) / 1000);
    await client.query(`DROP TABLE bench_${run}_raw`);
    return rate;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const progress = createStderrProgress("bench");
  const runtime = createRuntime(chooseRuntimeKind(config, null), config, logger);
  const { endpoints } = await runtime.up(progress);
  const designs = await openCartDesigns({
    endpoints,
    logger,
    crudSchema: `${run}_crud`,
    journalSchema: `${run}_journal`,
    variant: { name: `${run}_full_intent`, schema: `${run}_crud`, replicaIdentity: "full", intent: true, retention: "full" },
    maxConnections: 10,
  });
  try {
    const rows: [string, number][] = [];
    const baseline = await progress.step(`raw single-row INSERTs (${COMMANDS})`, () => rawInsertRate(endpoints.postgresUrl, COMMANDS), (rate) => `${rate.toFixed(0)}/s`);
    rows.push(["raw INSERT, 1 writer", baseline]);
    for (const writers of [1, 8]) {
      for (const design of ["crud", "es"] as const) {
        const workload = generateCartWorkload({ seed: 7, carts: 200, commands: COMMANDS, cartPrefix: `${design}${writers}-` });
        const rate = await progress.step(`${design}, ${writers} writer(s), ${COMMANDS} commands`, () => timeWorkload(designs, design, workload, writers), (value) => `${value.toFixed(0)}/s`);
        rows.push([`${design}, ${writers} writer(s)`, rate]);
      }
    }
    const lastCommitAt = performance.now();
    const catchUp = await progress.step("CDC catch-up: every CRUD cart rebuilt from the topics", async () => {
      const expected = (await designs.knex.withSchema(`${run}_crud`).from("carts").count<{ count: string }[]>("cart_id as count"))[0]?.count;
      const deadline = Date.now() + 300_000;
      while (Date.now() < deadline) {
        const history = await designs.cdcHistory();
        if (String(history.size) === String(expected)) return performance.now() - lastCommitAt;
      }
      throw new Error("the topics did not catch up within 5 minutes");
    });
    process.stdout.write(`\n| measure | per second | ratio to raw INSERT |\n|---|---|---|\n`);
    for (const [name, rate] of rows) process.stdout.write(`| ${name} | ${rate.toFixed(0)} | ${(rate / baseline).toFixed(2)} |\n`);
    process.stdout.write(`\nCDC catch-up after the last command: ${(catchUp / 1000).toFixed(1)} s (includes one full replay of the topics)\n`);
  } finally {
    await designs.close();
  }
}

await main();
