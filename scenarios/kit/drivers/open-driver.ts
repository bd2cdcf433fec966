import type { SubjectSpec } from "../../model/subjects.ts";
import { openCdcDriver } from "./cdc-driver.ts";
import { openCrudDriver } from "./crud-driver.ts";
import type { DriverContext } from "./driver-context.ts";
import { openEsDriver } from "./es-driver.ts";
import type { SubjectDriver } from "./subject-driver.ts";

/**
 * Opens a subject's driver under a name unique to the run, the scenario and the subject, so
 * subjects never share rows or topics and reruns never collide with old data. The names are
 * made here once and carried by the driver; nothing parses them back.
 */
export function openDriver(context: DriverContext, spec: SubjectSpec, name: string): Promise<SubjectDriver> {
  switch (spec.design) {
    case "es":
      return openEsDriver(context, spec, { subject: name, journalSchema: `${name}_journal` });
    case "crud":
      return openCrudDriver(context, spec, { subject: name, crudSchema: `${name}_crud` });
    case "cdc":
      return openCdcDriver(context, spec, { subject: name, crudSchema: `${name}_crud` });
    default: {
      const unknown: never = spec;
      throw new Error(`unknown design of ${JSON.stringify(unknown)}`);
    }
  }
}

/** What every name of a run's subjects contains, and nothing else does: how a run's leftovers are found. */
export function runMarker(runId: string): string {
  return `r${runId}_s`;
}

/** `r<run>_s<scenario>_<subject>`: lowercase, digits and underscores, as slots and topics need. */
export function subjectName(runId: string, scenarioIndex: number, subjectIndex: number): string {
  return `${runMarker(runId)}${scenarioIndex}_${subjectIndex}`;
}
