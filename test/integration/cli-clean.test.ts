import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { runMarker, subjectName } from "../../scenarios/kit/drivers/open-driver.ts";
import { readRunNotes, removeRunNote, writeRunNote } from "../../scenarios/runner/run-record.ts";
import { findRunResources } from "../../scenarios/runner/run-resources.ts";
import { createKafkaClient } from "../../services/platform/kafka-client.ts";
import { createLogger } from "../../services/platform/logger.ts";
import { runCli } from "./support/run-cli.ts";
import { stack, withPostgres } from "./support/stack.ts";
import { testStackLabDir } from "./support/test-lab.ts";

/**
 * What a run killed with -9 leaves (its note, a schema, an inactive replication slot holding
 * WAL, a publication, a topic, a consumer group), found by `up` and `clean` and removed only by
 * `clean --yes`.
 */
const env = { ...process.env, LAB_DIR: testStackLabDir(), LAB_RUNTIME: undefined };
const cli = (...args: string[]) => runCli(args, env);
const runId = `dead${randomBytes(3).toString("hex")}`;
const subject = subjectName(runId, 1, 0);
const names = { schema: `${subject}_crud`, slot: `cdc_${subject}_slot`, publication: `cdc_${subject}_pub`, topic: `cdc_${subject}.${subject}_crud.carts`, group: `${subject}_reader` };
const logger = createLogger("warn");

async function leaveWhatADeadRunLeaves(): Promise<void> {
  const pid = Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);
  writeRunNote(testStackLabDir(), { runId, marker: runMarker(runId), pid, command: "run --size small", startedAt: new Date().toISOString() });
  await withPostgres(async (client) => {
    await client.query(`CREATE SCHEMA "${names.schema}"`);
    await client.query(`CREATE PUBLICATION "${names.publication}"`);
    await client.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [names.slot]);
  });
  const kafka = createKafkaClient({ brokers: stack().kafkaBrokers, logger, clientId: "clean-test" });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: names.topic, messages: [{ value: "{}" }] });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: names.group });
  await consumer.connect();
  await consumer.subscribe({ topics: [names.topic], fromBeginning: true });
  await consumer.run({ eachMessage: async () => undefined });
  await consumer.disconnect();
}

afterAll(async () => {
  removeRunNote(testStackLabDir(), runId);
});

describe("cdc-es-lab clean", () => {
  it("lists what a dead run left, removes nothing without --yes, and up reports it", async () => {
    await leaveWhatADeadRunLeaves();
    const dry = await cli("clean");
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`run ${runId} (run --size small`);
    for (const name of Object.values(names)) expect(dry.stdout).toContain(name);
    expect(dry.stderr).toContain("dry run: nothing removed");
    const still = await findRunResources(stack(), logger, [runMarker(runId)]);
    expect(still).toEqual({ connectors: [], slots: [names.slot], publications: [names.publication], schemas: [names.schema], topics: [names.topic], groups: [names.group] });

    const up = await cli("up");
    expect(up.code).toBe(0);
    expect(up.stderr).toContain(`run ${runId}`);
    expect(up.stderr).toContain("ended without cleaning up: 5 resources left");
  });

  it("--yes removes all of it and the run's note", async () => {
    const result = await cli("clean", "--yes");
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("removed");
    expect(await findRunResources(stack(), logger, [runMarker(runId)])).toEqual({ connectors: [], slots: [], publications: [], schemas: [], topics: [], groups: [] });
    expect(readRunNotes(testStackLabDir()).map((note) => note.runId)).not.toContain(runId);
    expect((await cli("clean")).stdout).not.toContain(runId);
  });
});
