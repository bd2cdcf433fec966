import type { Logger } from "../../services/platform/logger.ts";
import type { Progress } from "../../services/platform/progress.ts";
import type { StackEndpoints } from "../../services/runtime/runtime.ts";
import type { SubjectDriver } from "../kit/drivers/subject-driver.ts";
import type { Evidence, ObservationName, ObservationShape, SubjectOutcome, ValueOf, Verdict } from "./observations.ts";
import type { SubjectId, SubjectSpec } from "./subjects.ts";

/** Who acts in a step: the brief's cast. */
export type Actor = "app" | "operator" | "clock" | "debezium" | "consumer";

export const SIZES = { small: 1, default: 4, large: 20 } as const;
export type RunSize = keyof typeof SIZES;

export interface RunContext {
  runId: string;
  seed: number;
  size: RunSize;
  endpoints: StackEndpoints;
  logger: Logger;
  progress: Progress;
  readyTimeoutMs: number;
  /** The last lines of a component's log, for failure reports. */
  logTail(component: "postgres" | "kafka" | "connect", lines: number): Promise<string>;
  /** The running stack itself, for scenarios whose question is a fault (kill -9 of Kafka Connect). */
  stack: StackControl;
  /** Aborted when the user interrupts the run (Ctrl-C): the runner stops before the next step; a long step may check it too. */
  signal: AbortSignal;
}

/** What a scenario may do to the stack under it. */
export interface StackControl {
  /** kill -9 of a component's processes; an `Unsupported` LabError where the runtime cannot (external). */
  kill(component: "postgres" | "kafka" | "connect"): Promise<void>;
  /** Starts whatever is down and waits until the whole stack is ready again (the runtime's `up`). */
  up(): Promise<void>;
}

export interface OpenedSubject {
  spec: SubjectSpec;
  /** How steps talk to the subject; it carries the subject's resolved names (schemas, topics, slot, connector). */
  driver: SubjectDriver;
}

export interface StepContext<S> {
  run: RunContext;
  state: S;
  /** Subjects still in the running: a subject whose step failed is dropped from later steps. */
  subjects(): OpenedSubject[];
  subject(id: SubjectId): OpenedSubject | undefined;
  /** Runs work for each live subject; a failure marks only that subject failed. */
  each(work: (subject: OpenedSubject) => Promise<void>): Promise<void>;
  /** Records a figure under a name the scenario declared with `observationNames`. */
  observe<K extends ObservationShape>(subject: SubjectId, name: ObservationName<K>, value: ValueOf<ObservationName<K>>): void;
  evidence(subject: SubjectId, evidence: Evidence): void;
  /** The design cannot answer this question at all (e.g. the CRUD tables asked for the past). */
  unsupported(subject: SubjectId, reason: string): void;
}

export interface ScenarioStep<S> {
  actor: Actor;
  /** What the step does, in a few words: shown as progress and in the scenario's docs. */
  does: string;
  run(context: StepContext<S>): Promise<void>;
}

export interface Scenario<S = unknown> {
  id: string;
  claim: string;
  subjects: SubjectId[];
  /** The scenario's own working state, fresh for each run. */
  init(run: RunContext): S;
  steps: ScenarioStep<S>[];
  /** The report cell for one subject, from its observations alone. */
  judge(outcome: SubjectOutcome): Verdict;
  /** The observation the chart of this scenario plots: a number per subject as bars, a distribution as percentiles, a curve as lines. */
  headline: { observation: ObservationName; label: string };
}
