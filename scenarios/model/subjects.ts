import type { CdcVariant } from "../../services/crud-cdc/cdc-variant.ts";

/**
 * What a scenario asks its question of: the event-sourced journal, the CRUD tables alone, or the
 * CRUD tables streamed by Debezium in one of the variants the lab compares.
 */
export const SUBJECT_IDS = ["es", "crud", "cdc-plain", "cdc-intent", "cdc-default", "cdc-compacted", "cdc-short-retention", "cdc-late"] as const;
export type SubjectId = (typeof SUBJECT_IDS)[number];

export interface SubjectSpec {
  id: SubjectId;
  label: string;
  /** The design whose log answers: the journal, the tables, or the Debezium topics. */
  design: "es" | "crud" | "cdc";
  variant: Omit<CdcVariant, "name" | "schema">;
  /** `late`: the connector is registered only after the workload began (an initial snapshot). */
  connectorStart: "early" | "late";
}

const noCdc = { replicaIdentity: "full", intent: false, retention: "full" } as const;

export const SUBJECTS: Record<SubjectId, SubjectSpec> = {
  es: { id: "es", label: "Event-sourced journal", design: "es", variant: noCdc, connectorStart: "late" },
  crud: { id: "crud", label: "CRUD tables alone", design: "crud", variant: noCdc, connectorStart: "late" },
  "cdc-plain": { id: "cdc-plain", label: "CDC, REPLICA IDENTITY FULL", design: "cdc", variant: { replicaIdentity: "full", intent: false, retention: "full" }, connectorStart: "early" },
  "cdc-intent": { id: "cdc-intent", label: "CDC + intent messages", design: "cdc", variant: { replicaIdentity: "full", intent: true, retention: "full" }, connectorStart: "early" },
  "cdc-default": { id: "cdc-default", label: "CDC, REPLICA IDENTITY DEFAULT", design: "cdc", variant: { replicaIdentity: "default", intent: false, retention: "full" }, connectorStart: "early" },
  "cdc-compacted": { id: "cdc-compacted", label: "CDC, compacted topics", design: "cdc", variant: { replicaIdentity: "full", intent: false, retention: "compacted" }, connectorStart: "early" },
  "cdc-short-retention": {
    id: "cdc-short-retention",
    label: "CDC, 10 s topic retention",
    design: "cdc",
    variant: { replicaIdentity: "full", intent: false, retention: "short" },
    connectorStart: "early",
  },
  "cdc-late": { id: "cdc-late", label: "CDC, connector started late", design: "cdc", variant: { replicaIdentity: "full", intent: false, retention: "full" }, connectorStart: "late" },
};
