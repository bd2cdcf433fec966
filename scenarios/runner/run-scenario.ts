import { LabError, describeError, isLabError } from "../../services/platform/errors.ts";
import type { Evidence, Observation, ScenarioResult, SubjectOutcome } from "../model/observations.ts";
import type { OpenedSubject, RunContext, Scenario, StepContext } from "../model/scenario.ts";
import { SUBJECTS } from "../model/subjects.ts";
import type { SubjectId } from "../model/subjects.ts";
import { openDriver, subjectName } from "../kit/drivers/open-driver.ts";

interface SubjectRecord {
  opened: OpenedSubject | null;
  status: SubjectOutcome["status"];
  observations: Record<string, Observation>;
  evidence: Evidence[];
  problem: SubjectOutcome["problem"];
  startedAt: number;
}

/**
 * Runs one scenario against its subjects: opens them, runs every step in order (each step
 * names its actor), and returns the observations. A failure of one subject marks that subject
 * failed, with the stack's last log lines, and the others go on; cleanup always runs.
 */
export async function runScenario<S>(scenario: Scenario<S>, scenarioIndex: number, run: RunContext): Promise<ScenarioResult> {
  const startedAt = Date.now();
  const records = new Map<SubjectId, SubjectRecord>(
    scenario.subjects.map((id) => [id, { opened: null, status: "measured", observations: {}, evidence: [], problem: null, startedAt }]),
  );
  const record = (id: SubjectId): SubjectRecord => {
    const found = records.get(id);
    if (found === undefined) throw new Error(`scenario ${scenario.id} has no subject ${id}`);
    return found;
  };
  const fail = async (id: SubjectId, error: unknown) => {
    const entry = record(id);
    if (entry.status === "failed") return;
    entry.status = "failed";
    const component = isLabError(error) && typeof error.details["component"] === "string" ? error.details["component"] : "connect";
    const logTail = await run.logTail(component === "postgres" || component === "kafka" ? component : "connect", 15).catch((tailError: unknown) => `(no log: ${describeError(tailError)})`);
    entry.problem = { message: describeError(error), logTail };
    run.logger.warn({ scenario: scenario.id, subject: id, err: describeError(error) }, "subject failed");
  };

  const live = () => [...records.entries()].filter(([, entry]) => entry.status === "measured" && entry.opened !== null).map(([, entry]) => entry.opened as OpenedSubject);
  const context: StepContext<S> = {
    run,
    state: scenario.init(run),
    subjects: live,
    subject: (id) => live().find((subject) => subject.spec.id === id),
    async each(work) {
      for (const subject of live()) {
        try {
          await work(subject);
        } catch (error) {
          await fail(subject.spec.id, error);
        }
      }
    },
    observe(id, name, value) {
      record(id).observations[name.name] = name.varies === null ? { value, unit: name.unit } : { value, unit: name.unit, varies: name.varies };
    },
    evidence(id, evidence) {
      record(id).evidence.push(evidence);
    },
    unsupported(id, reason) {
      const entry = record(id);
      entry.status = "unsupported";
      entry.problem = { message: reason, logTail: null };
    },
  };

  try {
    await run.progress.step(`${scenario.id}: opening ${scenario.subjects.length} subjects`, async () => {
      for (const [index, id] of scenario.subjects.entries()) {
        try {
          const spec = SUBJECTS[id];
          const driver = await openDriver(run, spec, subjectName(run.runId, scenarioIndex, index));
          record(id).opened = { spec, driver };
        } catch (error) {
          await fail(id, error);
        }
      }
    });
    for (const step of scenario.steps) {
      if (live().length === 0) break;
      if (run.signal.aborted) {
        // Interrupted: no verdict from half a scenario; the cleanup below still runs.
        const interrupted = new LabError("Interrupted", `the run was interrupted before: ${step.does}`);
        for (const subject of live()) await fail(subject.spec.id, interrupted);
        break;
      }
      await run.progress.step(`${scenario.id} · ${step.actor}: ${step.does}`, async () => {
        try {
          await step.run(context);
        } catch (error) {
          // A step that failed outside `each` leaves no subject with a trustworthy measurement.
          for (const subject of live()) await fail(subject.spec.id, error);
        }
      });
    }
  } finally {
    await run.progress.step(`${scenario.id}: cleaning up`, async () => {
      for (const entry of records.values()) {
        if (entry.opened === null) continue;
        const problems = await entry.opened.driver.dispose();
        if (problems.length > 0) run.logger.warn({ scenario: scenario.id, problems }, "cleanup incomplete");
      }
    });
  }

  const finishedAt = Date.now();
  return {
    id: scenario.id,
    claim: scenario.claim,
    startedAt: new Date(startedAt).toISOString(),
    durationMs: finishedAt - startedAt,
    outcomes: [...records.entries()].map(([subject, entry]) => ({
      subject,
      status: entry.status,
      observations: entry.observations,
      evidence: entry.evidence,
      problem: entry.problem,
      durationMs: finishedAt - entry.startedAt,
    })),
  };
}
