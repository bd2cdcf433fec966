import { describeError } from "../../services/platform/errors.ts";
import type { Logger } from "../../services/platform/logger.ts";
import { createHttpConnectClient } from "../../services/runtime/connect-client.ts";
import { connectKafkaAdmin } from "../../services/runtime/kafka-admin.ts";
import { dropSlotWhenReleased } from "../../services/runtime/replication-slot.ts";
import type { StackEndpoints } from "../../services/runtime/runtime.ts";
import { withPostgresClient } from "../../services/platform/postgres-pool.ts";

/**
 * What a run created on the stack, found by its marker (every name of its subjects contains
 * `r<run>_s`, see kit/drivers/open-driver.ts): schemas, replication slots, publications,
 * connectors, topics and consumer groups. Found on the stack itself rather than from a list
 * kept while running, so a run killed between creating a resource and writing it down still
 * leaves nothing that cannot be found.
 */
export interface RunResources {
  connectors: string[];
  slots: string[];
  publications: string[];
  schemas: string[];
  topics: string[];
  groups: string[];
}

export const RESOURCE_KINDS = ["connectors", "slots", "publications", "schemas", "topics", "groups"] as const satisfies readonly (keyof RunResources)[];

const SLOT_RELEASE_TIMEOUT_MS = 30_000;

export function countResources(found: RunResources): number {
  return RESOURCE_KINDS.reduce((sum, kind) => sum + found[kind].length, 0);
}

export function describeResources(found: RunResources): string {
  return RESOURCE_KINDS.filter((kind) => found[kind].length > 0)
    .map((kind) => `${kind}: ${found[kind].join(", ")}`)
    .join("; ");
}

/** Everything on the stack whose name contains one of the markers. */
export function findRunResources(endpoints: StackEndpoints, logger: Logger, markers: readonly string[]): Promise<RunResources> {
  return findResourcesNamed(endpoints, logger, (name) => markers.some((marker) => name.includes(marker)));
}

/** Everything on the stack whose name `matches`. */
export async function findResourcesNamed(endpoints: StackEndpoints, logger: Logger, matches: (name: string) => boolean): Promise<RunResources> {
  // Matched here rather than with LIKE: the markers hold underscores, which LIKE reads as wildcards.
  const named = (rows: { name: string }[]) => rows.map((row) => row.name).filter(matches).sort();
  const fromPostgres = await withPostgresClient(endpoints.postgresUrl, async (client) => ({
    schemas: named((await client.query<{ name: string }>("SELECT nspname AS name FROM pg_namespace")).rows),
    slots: named((await client.query<{ name: string }>("SELECT slot_name AS name FROM pg_replication_slots")).rows),
    publications: named((await client.query<{ name: string }>("SELECT pubname AS name FROM pg_publication")).rows),
  }));
  const connectors = (await createHttpConnectClient(endpoints.connectUrl).connectorNames()).filter(matches).sort();
  const admin = await connectKafkaAdmin(endpoints.kafkaBrokers, logger);
  try {
    return { ...fromPostgres, connectors, topics: (await admin.listTopics()).filter(matches).sort(), groups: (await admin.listGroups()).filter(matches).sort() };
  } finally {
    await admin.close();
  }
}

/**
 * Removes what was found, in the order that frees each thing before what holds it: connectors
 * (they hold slots), slots, publications, schemas, topics, groups. Goes on past a failure and
 * resolves with what could not be removed.
 */
export async function removeRunResources(endpoints: StackEndpoints, logger: Logger, found: RunResources): Promise<string[]> {
  const problems: string[] = [];
  const attempt = async (what: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (error) {
      problems.push(`${what}: ${describeError(error)}`);
    }
  };
  const connect = createHttpConnectClient(endpoints.connectUrl);
  for (const connector of found.connectors) await attempt(`connector ${connector}`, () => connect.deleteConnector(connector));
  for (const slot of found.slots) await attempt(`slot ${slot}`, () => dropSlotWhenReleased(endpoints.postgresUrl, slot, SLOT_RELEASE_TIMEOUT_MS));
  await attempt("PostgreSQL", () =>
    withPostgresClient(endpoints.postgresUrl, async (client) => {
      for (const publication of found.publications) await attempt(`publication ${publication}`, () => client.query(`DROP PUBLICATION IF EXISTS "${publication}"`));
      for (const schema of found.schemas) await attempt(`schema ${schema}`, () => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    }),
  );
  await attempt("Kafka", async () => {
    const admin = await connectKafkaAdmin(endpoints.kafkaBrokers, logger);
    try {
      await attempt(`topics ${found.topics.join(", ")}`, () => admin.deleteTopics(found.topics));
      await attempt(`groups ${found.groups.join(", ")}`, () => admin.deleteGroups(found.groups));
    } finally {
      await admin.close();
    }
  });
  return problems;
}
