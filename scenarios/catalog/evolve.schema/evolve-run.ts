import type { CartCommandResult } from "../../../services/cart/index.ts";
import { LabError, isLabError } from "../../../services/platform/errors.ts";
import { crudTableNames } from "../../../services/crud-cdc/crud/crud-tables.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { recordCommand, recordedViews } from "../../kit/cart-record.ts";
import type { CdcDriver } from "../../kit/drivers/subject-driver.ts";
import { waitForTopicsToHold } from "../../kit/topics-caught-up.ts";
import type { CartRecord } from "../../kit/cart-record.ts";
import { markTime } from "../../kit/time-mark.ts";
import type { OpenedSubject, StepContext } from "../../model/scenario.ts";
import type { SubjectId } from "../../model/subjects.ts";
import type { WorkloadCommand } from "../../workload/cart-workload.ts";
import type { RunningRelease } from "./releases.ts";
import type { Phase, Probe } from "./shape-readers.ts";

/** A time window (epoch ms, marked so no commit shares its ends) in which only a migration ran. */
export interface Window {
  from: number;
  to: number;
}

export interface EvolveRun {
  record: CartRecord;
  workload: WorkloadCommand[];
  /** Where the workload's phases begin: the change starts at `acrossFrom`, the old release keeps writing until `overlapTo`, the change is over at `afterFrom`. */
  bounds: { acrossFrom: number; overlapTo: number; afterFrom: number };
  probes: Probe[];
  /** The release each subject runs now. */
  releases: Map<SubjectId, RunningRelease>;
  /** Commands whose result differed from the rules' (an error included), per subject, as evidence rows. */
  failedWrites: Map<SubjectId, (string | null)[][]>;
  /** When the pure DDL ran (expand, contract), and when the backfill ran. */
  ddlWindows: Window[];
  backfillWindow: Window | null;
  /** Rows each subject's backfill updated. */
  backfilled: Map<SubjectId, number>;
}

/** A probe point every so many commands: the time, and every cart the record knows then. */
export const PROBE_EVERY = 10;

export function releaseOf(state: EvolveRun, subject: OpenedSubject): RunningRelease {
  const release = state.releases.get(subject.spec.id);
  if (release === undefined) throw new LabError("UsageInvalid", `${subject.spec.id} runs no release`);
  return release;
}

/**
 * Commands `from`..`to` of the workload through each subject's running release and into the
 * record, taking probe points on the way. A command the release answers otherwise than the rules
 * (or fails with a LabError: a statement the table no longer accepts) is counted, not thrown:
 * what a migration does to the running application is the measurement.
 */
export async function applyPhase(context: StepContext<EvolveRun>, phase: Phase, from: number, to: number): Promise<void> {
  const { state } = context;
  for (let index = from; index < to; index += 1) {
    const entry = state.workload[index];
    if (entry === undefined) break;
    const recorded = recordCommand(state.record, entry.command);
    await context.each(async (subject) => {
      const release = releaseOf(state, subject);
      const problem = await answerProblem(release, entry, recorded.accepted);
      if (problem === null) return;
      const rows = state.failedWrites.get(subject.spec.id) ?? [];
      state.failedWrites.set(subject.spec.id, rows);
      rows.push([phase, release.name, String(entry.command["type"]), String(entry.command["cartId"]), problem]);
    });
    if ((index + 1) % PROBE_EVERY === 0) {
      // "State at T" has one right answer only if no commit shares T's millisecond.
      const at = await markTime();
      for (const [cartId, expected] of recordedViews(state.record)) state.probes.push({ phase, at, cartId, expected });
    }
  }
}

/** What a release did with a command: an answer (accepted or rejected by the rules), or an error of the application. */
export type ApplyOutcome = { kind: "answered"; result: CartCommandResult } | { kind: "error"; message: string };

export async function tryApply(release: RunningRelease, entry: WorkloadCommand): Promise<ApplyOutcome> {
  try {
    return { kind: "answered", result: await release.apply(entry.command, entry.metadata) };
  } catch (error) {
    // The handlers wrap what the database refused in a LabError; anything else is a bug, not a measurement.
    if (!isLabError(error)) throw error;
    return { kind: "error", message: `${error.code}: ${error.message}` };
  }
}

/** Why a release's answer differs from the rules', or null when it does not. */
export async function answerProblem(release: RunningRelease, entry: WorkloadCommand, accepted: boolean): Promise<string | null> {
  const outcome = await tryApply(release, entry);
  if (outcome.kind === "error") return outcome.message;
  return outcome.result.ok === accepted ? null : `answered ${JSON.stringify(outcome.result)}, the rules ${accepted ? "accept" : "reject"} it`;
}

/** Marks the ends of a migration that runs alone, so the change events it caused can be counted by commit time. */
export async function timed<T>(run: () => Promise<T>): Promise<{ value: T; window: Window }> {
  const from = await markTime();
  const value = await run();
  return { value, window: { from, to: await markTime() } };
}

export function inWindow(at: number, window: Window): boolean {
  return at > window.from && at < window.to;
}

const CATCH_UP_TIMEOUT_MS = 60_000;

/**
 * Waits (bounded) until a CDC subject's topics hold every change made so far: every cart as the
 * record has it, and every row the backfill updated (which changes no cart's view, so the first
 * condition alone would not see it).
 */
export async function waitForTopicsToCatchUp(state: EvolveRun, cdc: CdcDriver): Promise<void> {
  await waitForTopicsToHold(cdc, recordedViews(state.record), CATCH_UP_TIMEOUT_MS);
  const { backfillWindow } = state;
  const backfilled = state.backfilled.get(cdc.spec.id) ?? 0;
  if (backfillWindow === null || backfilled === 0) return;
  let seen = 0;
  await waitFor(
    async () => {
      const events = await cdc.readChangeEvents();
      seen = events.filter((event) => event.kind === "row" && event.source.table === crudTableNames.cartItems && inWindow(event.source.committedAt, backfillWindow)).length;
      return seen >= backfilled ? true : undefined;
    },
    { what: `the topics of ${cdc.spec.id} to hold the backfill's ${backfilled} updates`, timeoutMs: CATCH_UP_TIMEOUT_MS, intervalMs: 250, onTimeout: () => ({ seen }) },
  );
}
