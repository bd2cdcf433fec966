import { crudTableNames, crudStateTables } from "../../../services/crud-cdc/crud/crud-tables.ts";
import { byDesign } from "../../kit/drivers/subject-driver.ts";
import type { SubjectDriver } from "../../kit/drivers/subject-driver.ts";
import type { ObservationName } from "../../model/observations.ts";
import { OBS } from "./observations.ts";
import type { RelationSize } from "./postgres-accounting.ts";
import { schemaRelationSizes } from "./postgres-accounting.ts";

/**
 * Where each design keeps its bytes in PostgreSQL, by place: a place is some relations of the
 * subject's schema, counted whole (table + indexes) or, for the journal, split into the events
 * table and its indexes. Relations of the schema no place names still count in the totals.
 */
interface Place {
  observation: ObservationName<"number">;
  relations: readonly string[];
  part: "table" | "indexes" | "whole";
}

/** The journal's relation names, as migrate-journal.ts creates them in the subject's schema. */
const JOURNAL_RELATIONS = { events: "events", snapshots: "snapshots", checkpoints: "projection_checkpoints", cartSummaries: "cart_summaries" } as const;

const JOURNAL_PLACES: Place[] = [
  { observation: OBS.journalBytesPerOp, relations: [JOURNAL_RELATIONS.events], part: "table" },
  { observation: OBS.journalIndexBytesPerOp, relations: [JOURNAL_RELATIONS.events], part: "indexes" },
  { observation: OBS.snapshotBytesPerOp, relations: [JOURNAL_RELATIONS.snapshots], part: "whole" },
  { observation: OBS.projectionBytesPerOp, relations: [JOURNAL_RELATIONS.cartSummaries, JOURNAL_RELATIONS.checkpoints], part: "whole" },
];

const CRUD_PLACES: Place[] = [
  { observation: OBS.stateBytesPerOp, relations: crudStateTables, part: "whole" },
  { observation: OBS.outboxBytesPerOp, relations: [crudTableNames.outbox], part: "whole" },
];

/** A subject's bytes in PostgreSQL at one moment: totals over its schema, and each place's. */
export interface DatabaseBytes {
  tableBytes: number;
  indexBytes: number;
  places: { observation: ObservationName<"number">; bytes: number }[];
  relations: RelationSize[];
}

/** The schema that holds everything the subject keeps in PostgreSQL, and its places. */
export function subjectSchema(driver: SubjectDriver): { schema: string; places: Place[] } {
  return byDesign(driver, {
    es: (journal) => ({ schema: journal.names.journalSchema, places: JOURNAL_PLACES }),
    crud: (tables) => ({ schema: tables.names.crudSchema, places: CRUD_PLACES }),
    cdc: (tables) => ({ schema: tables.names.crudSchema, places: CRUD_PLACES }),
  });
}

export async function databaseBytes(driver: SubjectDriver): Promise<DatabaseBytes> {
  const { schema, places } = subjectSchema(driver);
  const relations = await schemaRelationSizes(driver.pool, schema);
  const bytesOf = (place: Place): number =>
    relations
      .filter((relation) => place.relations.includes(relation.relation))
      .reduce((sum, relation) => sum + (place.part === "table" ? relation.tableBytes : place.part === "indexes" ? relation.indexBytes : relation.tableBytes + relation.indexBytes), 0);
  return {
    tableBytes: relations.reduce((sum, relation) => sum + relation.tableBytes, 0),
    indexBytes: relations.reduce((sum, relation) => sum + relation.indexBytes, 0),
    places: places.map((place) => ({ observation: place.observation, bytes: bytesOf(place) })),
    relations,
  };
}
