import type { ReplicaIdentity } from "../../services/crud-cdc/crud/migrate-crud-schema.ts";

/**
 * What a scenario asks its question of: the event-sourced journal, the CRUD tables alone, or the
 * CRUD tables streamed by Debezium, each in the configurations the lab compares. Every design
 * appears in its best-practice configuration and beside it the naive one, labelled.
 */
export const SUBJECT_IDS = [
  "es",
  "es-no-snapshots",
  "es-polling",
  "es-plaintext",
  "crud",
  "crud-naive",
  "cdc-plain",
  "cdc-intent",
  "cdc-default",
  "cdc-compacted",
  "cdc-short-retention",
  "cdc-late",
  "cdc-tuned",
] as const;
export type SubjectId = (typeof SUBJECT_IDS)[number];

export type Design = "es" | "crud" | "cdc";

/** The journal's knobs. */
export interface JournalKnobs {
  /** Snapshot a cart whenever its version crosses a multiple of this; null never snapshots. */
  snapshotEvery: number | null;
  /** How the cart_summaries projection learns of new events: LISTEN/NOTIFY (with a slow poll behind it), or polling alone. */
  wakeUp: "notify" | "poll";
  /** Personal data in events: encrypted with a per-customer key (crypto-shredding), or plaintext (the naive journal). */
  personalData: "encrypted" | "plaintext";
}

/** The CRUD handler's knobs. */
export interface CrudKnobs {
  /** `locked` loads the cart's rows FOR UPDATE; `naive` does not, and loses updates under concurrency. */
  mode: "locked" | "naive";
}

/** How Debezium streams the CRUD tables. */
export interface CdcKnobs {
  replicaIdentity: ReplicaIdentity;
  /** The writer's actor and reason travel as transactional logical messages (op m). */
  intent: boolean;
  retention: "full" | "compacted" | "short";
  /** Debezium's transaction metadata topic and per-event transaction block. */
  transactionMetadata: boolean;
  /** Debezium's and Kafka's default polling, or the tuned latency settings (cdc-variant.ts TUNED_POLLING). */
  polling: "default" | "tuned";
  /** `late`: the connector is registered only when a step starts it (an initial snapshot of what exists by then). */
  start: "early" | "late";
}

interface SubjectBase {
  id: SubjectId;
  label: string;
  /** A configuration shown only beside its design's best practice, so nothing wins against a strawman; its label says "(naive)". */
  naive: boolean;
}

export type EsSubjectSpec = SubjectBase & { design: "es"; journal: JournalKnobs };
export type CrudSubjectSpec = SubjectBase & { design: "crud"; crud: CrudKnobs };
export type CdcSubjectSpec = SubjectBase & { design: "cdc"; crud: CrudKnobs; cdc: CdcKnobs };
export type SubjectSpec = EsSubjectSpec | CrudSubjectSpec | CdcSubjectSpec;

const journal: JournalKnobs = { snapshotEvery: 100, wakeUp: "notify", personalData: "encrypted" };
const locked: CrudKnobs = { mode: "locked" };
const plainCdc: CdcKnobs = { replicaIdentity: "full", intent: false, retention: "full", transactionMetadata: false, polling: "default", start: "early" };

export const SUBJECTS: { [K in SubjectId]: SubjectSpec & { id: K } } = {
  es: { id: "es", label: "Event-sourced journal", naive: false, design: "es", journal },
  "es-no-snapshots": { id: "es-no-snapshots", label: "Journal without snapshots (naive)", naive: true, design: "es", journal: { ...journal, snapshotEvery: null } },
  "es-polling": { id: "es-polling", label: "Journal, projection polling", naive: false, design: "es", journal: { ...journal, wakeUp: "poll" } },
  "es-plaintext": { id: "es-plaintext", label: "Journal, plaintext personal data (naive)", naive: true, design: "es", journal: { ...journal, personalData: "plaintext" } },
  crud: { id: "crud", label: "CRUD tables alone", naive: false, design: "crud", crud: locked },
  "crud-naive": { id: "crud-naive", label: "CRUD tables, no row lock (naive)", naive: true, design: "crud", crud: { mode: "naive" } },
  "cdc-plain": { id: "cdc-plain", label: "CDC, REPLICA IDENTITY FULL", naive: false, design: "cdc", crud: locked, cdc: plainCdc },
  "cdc-intent": { id: "cdc-intent", label: "CDC + intent messages", naive: false, design: "cdc", crud: locked, cdc: { ...plainCdc, intent: true } },
  "cdc-default": { id: "cdc-default", label: "CDC, REPLICA IDENTITY DEFAULT", naive: false, design: "cdc", crud: locked, cdc: { ...plainCdc, replicaIdentity: "default" } },
  "cdc-compacted": { id: "cdc-compacted", label: "CDC, compacted topics", naive: false, design: "cdc", crud: locked, cdc: { ...plainCdc, retention: "compacted" } },
  "cdc-short-retention": { id: "cdc-short-retention", label: "CDC, 10 s topic retention", naive: false, design: "cdc", crud: locked, cdc: { ...plainCdc, retention: "short" } },
  "cdc-late": { id: "cdc-late", label: "CDC, connector started late", naive: false, design: "cdc", crud: locked, cdc: { ...plainCdc, start: "late" } },
  "cdc-tuned": {
    id: "cdc-tuned",
    label: "CDC tuned (transaction metadata, intent, 10 ms poll)",
    naive: false,
    design: "cdc",
    crud: locked,
    cdc: { ...plainCdc, intent: true, transactionMetadata: true, polling: "tuned" },
  },
};
