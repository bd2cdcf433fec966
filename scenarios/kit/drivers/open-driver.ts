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
      return openEsDriver(context, spec, { journalSchema: `${name}_journal` });
    case "crud":
      return openCrudDriver(context, spec, { crudSchema: `${name}_crud` });
    case "cdc":
      return openCdcDriver(context, spec, { crudSchema: `${name}_crud`, variantName: name });
    default: {
      const unknown: never = spec;
      throw new Error(`unknown design of ${JSON.stringify(unknown)}`);
    }
  }
}

/** `r<run>_s<scenario>_<subject>`: lowercase, digits and underscores, as slots and topics need. */
export function subjectName(runId: string, scenarioIndex: number, subjectIndex: number): string {
  return `r${runId}_s${scenarioIndex}_${subjectIndex}`;
}
