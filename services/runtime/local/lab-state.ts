import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { LabError } from "../../platform/errors.ts";

/**
 * What the local runtime records in its lab directory: the ports it chose (so every `up` uses
 * the same ones), the pids of the JVMs it started, the Kafka cluster id and how many brokers the
 * cluster has. Every port the lab holds is one entry of `ports` (nodes 2 and 3 of a cluster add
 * `kafka-N` and `controller-N`, their pids `kafka-N`: see broker-nodes.ts), so `down` can wait
 * for all of them to be released.
 */
const LocalStateSchema = z
  .object({
    version: z.literal(1),
    // Labs recorded before a cluster was possible have no count: they have one broker.
    brokers: z.union([z.literal(1), z.literal(3)]).default(1),
    ports: z
      .object({
        postgres: z.number().int(),
        kafka: z.number().int(),
        controller: z.number().int(),
        connect: z.number().int(),
      })
      .catchall(z.number().int()),
    clusterId: z.string(),
    postgresHome: z.string(),
    pids: z.object({ kafka: z.number().int().nullable(), connect: z.number().int().nullable() }).catchall(z.number().int().nullable()),
  })
  .superRefine((state, context) => {
    for (let nodeId = 2; nodeId <= state.brokers; nodeId += 1) {
      for (const key of [`kafka-${nodeId}`, `controller-${nodeId}`]) {
        if (state.ports[key] === undefined) context.addIssue({ code: "custom", path: ["ports", key], message: `a lab of ${state.brokers} brokers records this port` });
      }
    }
  });
export type LocalState = z.infer<typeof LocalStateSchema>;

export interface LabLayout {
  labDir: string;
  stateFile: string;
  logsDir: string;
  confDir: string;
  kafkaDir: string;
  kafkaDataDir: string;
  connectDir: string;
  /** Where the PostgreSQL data directory goes unless it must live elsewhere (see postgres-cluster.ts). */
  defaultPostgresHome: string;
}

export function labLayout(labDir: string): LabLayout {
  return {
    labDir,
    stateFile: path.join(labDir, "state.json"),
    logsDir: path.join(labDir, "logs"),
    confDir: path.join(labDir, "conf"),
    kafkaDir: path.join(labDir, "kafka"),
    kafkaDataDir: path.join(labDir, "kafka", "data"),
    connectDir: path.join(labDir, "connect"),
    defaultPostgresHome: path.join(labDir, "postgres"),
  };
}

export function readLocalState(layout: LabLayout): LocalState | null {
  if (!existsSync(layout.stateFile)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(layout.stateFile, "utf8"));
  } catch (error) {
    throw new LabError("ConfigInvalid", `${layout.stateFile} is not valid JSON; remove the lab directory (cdc-es-lab down --purge) to start over`, { cause: error });
  }
  const parsed = LocalStateSchema.safeParse(raw);
  if (!parsed.success) {
    throw new LabError("ConfigInvalid", `${layout.stateFile} does not match this version of the lab: ${parsed.error.message}`, {
      hint: "Run `cdc-es-lab down --purge` to start from a clean lab directory.",
    });
  }
  return parsed.data;
}

export function writeLocalState(layout: LabLayout, state: LocalState): void {
  mkdirSync(layout.labDir, { recursive: true });
  const temp = `${layout.stateFile}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temp, layout.stateFile);
}
