import { SHORT_RETENTION_MS } from "../../services/crud-cdc/cdc-variant.ts";
import { SUBJECTS } from "../model/subjects.ts";
import type { Design, SubjectId } from "../model/subjects.ts";

/** The designs in the order the report lists them: the journal, the tables alone, the tables streamed. */
export const DESIGN_ORDER: readonly Design[] = ["es", "crud", "cdc"];

export const DESIGN_NAMES: Record<Design, string> = {
  es: "Event-sourced journal",
  crud: "CRUD tables",
  cdc: "CRUD tables + Debezium CDC",
};

export function designOf(subject: SubjectId): Design {
  return SUBJECTS[subject].design;
}

/**
 * Whether a subject is a design's naive configuration, shown beside its best practice so that
 * nothing wins against a strawman. subjects.ts says so (its `naive` flag, and "(naive)" in the label),
 * the one place a subject is described; the report reads it from there rather than keep a second list.
 */
export function isNaive(subject: SubjectId): boolean {
  return SUBJECTS[subject].naive;
}

/** What history a subject keeps and how it is configured, in words, from its knobs. */
export function setupOf(subject: SubjectId): string {
  const spec = SUBJECTS[subject];
  switch (spec.design) {
    case "es": {
      const { snapshotEvery, wakeUp, personalData } = spec.journal;
      return [
        "the journal (append-only events table)",
        snapshotEvery === null ? "no snapshots" : `a snapshot every ${snapshotEvery} events`,
        wakeUp === "notify" ? "projection woken by LISTEN/NOTIFY" : "projection polling",
        personalData === "encrypted" ? "personal data encrypted per customer (crypto-shredding)" : "personal data in plaintext",
      ].join("; ");
    }
    case "crud":
      return ["none: rows are changed in place", spec.crud.mode === "locked" ? "rows locked FOR UPDATE" : "no row lock"].join("; ");
    case "cdc": {
      const { cdc } = spec;
      const retention = cdc.retention === "full" ? "topics keep every record" : cdc.retention === "compacted" ? "compacted topics" : `topics keep ${SHORT_RETENTION_MS / 1000} s of records`;
      return [
        `Kafka topics, REPLICA IDENTITY ${cdc.replicaIdentity.toUpperCase()}`,
        cdc.intent ? "intent as logical messages (op m)" : "no intent messages",
        retention,
        cdc.transactionMetadata ? "transaction metadata topic" : "no transaction metadata",
        cdc.polling === "tuned" ? "tuned polling" : "default polling",
        cdc.start === "late" ? "connector started after the workload (initial snapshot)" : "connector started first",
        spec.crud.mode === "locked" ? "rows locked FOR UPDATE" : "no row lock",
      ].join("; ");
    }
    default: {
      const unknown: never = spec;
      return String(unknown);
    }
  }
}
