import { randomUUID } from "node:crypto";
import { z } from "zod";
import { createKafkaClient } from "../platform/kafka-client.ts";
import { subscribeToRecords } from "../platform/kafka-record-subscription.ts";
import { LabError, describeError } from "../platform/errors.ts";
import type { Logger } from "../platform/logger.ts";
import { waitFor } from "../platform/wait-for.ts";
import type { ConnectClient, ConnectorStatus } from "./connect-client.ts";
import { debeziumPostgresConfig } from "./debezium-connector.ts";
import { waitForSlotActive } from "./replication-slot.ts";
import type { StackEndpoints } from "./runtime.ts";
import { withPostgresClient } from "../platform/postgres-pool.ts";

/**
 * The lab's own connector: it captures one sentinel table, and a row written there arriving on
 * its topic is the last readiness check of `up` (PostgreSQL -> slot -> Debezium -> Kafka -> us).
 */
export const LAB_CONNECTOR = {
  name: "cdc-es-lab-sentinel",
  table: "public.lab_sentinel",
  topicPrefix: "lab",
  slotName: "lab_sentinel_slot",
  publicationName: "lab_sentinel_pub",
} as const;

export const SENTINEL_TOPIC = `${LAB_CONNECTOR.topicPrefix}.${LAB_CONNECTOR.table}`;

export interface ConnectorReadiness {
  debeziumVersion: string | null;
  sentinelMs: number;
}

/** Registers (or re-registers) the sentinel connector and proves the whole path end to end. */
export async function ensureLabConnector(endpoints: StackEndpoints, connect: ConnectClient, logger: Logger, timeoutMs: number): Promise<ConnectorReadiness> {
  await withPostgresClient(endpoints.postgresUrl, (client) =>
    client.query("CREATE TABLE IF NOT EXISTS lab_sentinel (sentinel_id text PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT now())"),
  );
  const existing = await connect.connectorStatus(LAB_CONNECTOR.name);
  if (existing === null) {
    await waitFor(
      async () => {
        await connect.putConnectorConfig(LAB_CONNECTOR.name, labConnectorConfig(endpoints));
        return true;
      },
      { what: `Kafka Connect to accept connector ${LAB_CONNECTOR.name}`, timeoutMs },
    );
  }
  const status = await waitForConnectorRunning(connect, LAB_CONNECTOR.name, timeoutMs);
  await waitForSlotActive(endpoints.postgresUrl, LAB_CONNECTOR.slotName, timeoutMs);

  const sentinelMs = await proveSentinelArrives(endpoints, logger, timeoutMs);
  return { debeziumVersion: status.connector.version ?? null, sentinelMs };
}

export function labConnectorConfig(endpoints: StackEndpoints): Record<string, string> {
  return debeziumPostgresConfig({
    database: endpoints.connectorDatabase,
    topicPrefix: LAB_CONNECTOR.topicPrefix,
    slotName: LAB_CONNECTOR.slotName,
    publicationName: LAB_CONNECTOR.publicationName,
    tables: [LAB_CONNECTOR.table],
    snapshotMode: "initial",
    tombstonesOnDelete: false,
    messagePrefixes: [],
    dropSlotOnStop: false,
  });
}

/** Waits for connector and task RUNNING; a FAILED one stops the wait with Debezium's trace. */
export async function waitForConnectorRunning(connect: ConnectClient, name: string, timeoutMs: number): Promise<ConnectorStatus> {
  return waitFor(
    async () => {
      const status = await connect.connectorStatus(name);
      if (status === null) return undefined;
      const failedTask = status.tasks.find((task) => task.state === "FAILED");
      if (status.connector.state === "FAILED" || failedTask !== undefined) {
        const trace = failedTask?.trace ?? status.connector.trace ?? "";
        throw new LabError("ComponentFailed", `connector ${name} FAILED: ${trace.split("\n").slice(0, 8).join("\n")}`, {
          details: { component: "connector", name, status },
        });
      }
      const running = status.connector.state === "RUNNING" && status.tasks.length > 0 && status.tasks.every((task) => task.state === "RUNNING");
      return running ? status : undefined;
    },
    { what: `connector ${name} and its task to be RUNNING`, timeoutMs },
  );
}

/**
 * The sentinel's change event, read just far enough to find its id. The runtime reads the raw
 * record itself rather than through the CDC design's change feed: the stack sits below both
 * designs, and nothing in it depends on how one of them decodes Debezium.
 */
const SentinelRecord = z.object({ after: z.object({ sentinel_id: z.string() }).nullable().optional() });

function sentinelIdOf(value: Buffer | null): string | null {
  if (value === null) return null;
  const parsed = SentinelRecord.safeParse(JSON.parse(value.toString("utf8")));
  return parsed.success ? (parsed.data.after?.sentinel_id ?? null) : null;
}

async function proveSentinelArrives(endpoints: StackEndpoints, logger: Logger, timeoutMs: number): Promise<number> {
  const sentinelId = randomUUID();
  const kafka = createKafkaClient({ brokers: endpoints.kafkaBrokers, logger, clientId: "cdc-es-lab-sentinel" });
  let seenAt: number | null = null;
  const subscription = await subscribeToRecords(
    kafka,
    { groupId: `lab-sentinel-${sentinelId}`, topics: [SENTINEL_TOPIC], fromBeginning: true, component: "sentinel" },
    async (record) => {
      if (sentinelIdOf(record.value) === sentinelId) seenAt = performance.now();
    },
    logger,
  );
  try {
    const writtenAt = performance.now();
    await withPostgresClient(endpoints.postgresUrl, (client) => client.query("INSERT INTO lab_sentinel (sentinel_id) VALUES ($1)", [sentinelId]));
    const arrivedAt = await waitFor(async () => seenAt ?? undefined, { what: `sentinel row ${sentinelId} on topic ${SENTINEL_TOPIC}`, timeoutMs });
    return Math.round(arrivedAt - writtenAt);
  } finally {
    await subscription.stop();
    // One check, one throw-away group: removed, so every `up` does not leave a group behind.
    const admin = kafka.admin();
    await admin.connect();
    await admin
      .deleteGroups([`lab-sentinel-${sentinelId}`])
      .catch((error: unknown) => logger.debug({ err: describeError(error) }, "the sentinel's consumer group was not deleted; it expires with the broker's retention"))
      .finally(() => admin.disconnect());
  }
}

