import { openCdcDriver } from "../../scenarios/kit/drivers/cdc-driver.ts";
import type { DriverContext } from "../../scenarios/kit/drivers/driver-context.ts";
import { openEsDriver } from "../../scenarios/kit/drivers/es-driver.ts";
import type { CdcDriver, EsDriver, SubjectDriver } from "../../scenarios/kit/drivers/subject-driver.ts";
import { SUBJECTS } from "../../scenarios/model/subjects.ts";
import type { CdcSubjectSpec, EsSubjectSpec, SubjectId } from "../../scenarios/model/subjects.ts";
import { countResources, describeResources, findRunResources, removeRunResources } from "../../scenarios/runner/run-resources.ts";
import { LabError, describeError } from "../../services/platform/errors.ts";
import type { BenchContext } from "../harness/benchmark.ts";

/** Connector start and slot activation on a loaded two-core machine: the scenarios' bound. */
const READY_TIMEOUT_MS = 120_000;

/** Opens the scenarios' subjects for a benchmark: the same drivers, so a figure here is a figure of the designs the scenarios judge. */
export interface BenchSubjects {
  /** `${stem}_${suffix}`: lowercase letters, digits and underscores (it names a slot and topics). */
  cdc(spec: CdcSubjectSpec, suffix: string): Promise<CdcDriver>;
  es(spec: EsSubjectSpec, suffix: string): Promise<EsDriver>;
}

/** A scenario subject of the CDC design, by id (SUBJECTS is typed by the union of designs). */
export function cdcSubject(id: SubjectId): CdcSubjectSpec {
  const spec = SUBJECTS[id];
  if (spec.design !== "cdc") throw new LabError("UsageInvalid", `subject ${id} is not a CDC subject`);
  return spec;
}

/** A scenario subject of the journal, by id. */
export function esSubject(id: SubjectId): EsSubjectSpec {
  const spec = SUBJECTS[id];
  if (spec.design !== "es") throw new LabError("UsageInvalid", `subject ${id} is not a journal subject`);
  return spec;
}

export function driverContext(context: BenchContext): DriverContext {
  return { endpoints: context.endpoints, logger: context.logger, readyTimeoutMs: READY_TIMEOUT_MS };
}

/**
 * Runs `work` with subjects named `${stem}_…`, then removes everything whose name contains the
 * stem: each driver disposes what it made (connector, slot, publication, schema, pools), and
 * what drivers leave on purpose (topics, consumer groups) or a failure left is found on the
 * stack by name and removed, as the scenario runner does for a run (runner/run-resources.ts).
 * What cannot be removed is logged as a warning naming it, after the work's own outcome.
 */
export async function withBenchSubjects<T>(context: BenchContext, stem: string, work: (subjects: BenchSubjects) => Promise<T>): Promise<T> {
  const opened: SubjectDriver[] = [];
  const subjects: BenchSubjects = {
    async cdc(spec, suffix) {
      const driver = await openCdcDriver(driverContext(context), spec, { subject: `${stem}_${suffix}`, crudSchema: `${stem}_${suffix}_crud` });
      opened.push(driver);
      return driver;
    },
    async es(spec, suffix) {
      const driver = await openEsDriver(driverContext(context), spec, { subject: `${stem}_${suffix}`, journalSchema: `${stem}_${suffix}_journal` });
      opened.push(driver);
      return driver;
    },
  };
  try {
    return await work(subjects);
  } finally {
    const problems: string[] = [];
    for (const driver of opened) problems.push(...(await driver.dispose()));
    problems.push(...(await removeLeftovers(context, stem).catch((error: unknown) => [`find what carries ${stem}: ${describeError(error)}`])));
    if (problems.length > 0) context.logger.warn({ stem, problems }, "a benchmark left resources on the stack");
  }
}

/** Removes whatever on the stack carries the stem; resolves with what could not be removed. */
async function removeLeftovers(context: BenchContext, stem: string): Promise<string[]> {
  const found = await findRunResources(context.endpoints, context.logger, [stem]);
  if (countResources(found) === 0) return [];
  context.logger.debug({ stem, found: describeResources(found) }, "removing what the benchmark's subjects leave behind");
  return removeRunResources(context.endpoints, context.logger, found);
}
