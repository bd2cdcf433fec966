import type { ChangeEvent } from "../../../services/crud-cdc/change-event.ts";
import { LabError } from "../../../services/platform/errors.ts";
import type { CartRecord } from "../../kit/cart-record.ts";
import type { SubjectId } from "../../model/subjects.ts";
import type { WorkloadCommand } from "../../workload/cart-workload.ts";

/** deliver.duplicates' working state, fresh for each run. */
export interface DuplicatesRun {
  record: CartRecord;
  workload: WorkloadCommand[];
  /** Commands written before Connect is killed (the rest are written while it dies and stays down). */
  killAfter: number;
  /** Wall clock when the app began writing, and when Connect was seen down. */
  writesStartedAt: number | null;
  killedAt: number | null;
  /** Per CDC subject: the change events on its topics once Debezium caught up after the restart. */
  topics: Map<SubjectId, ChangeEvent[]>;
  /** Per journal subject: the checkout messages its publisher put on Kafka. */
  checkoutMessages: Map<SubjectId, number>;
}

export function requireKillWindow(run: DuplicatesRun): { from: number; to: number } {
  if (run.writesStartedAt === null || run.killedAt === null) throw new LabError("ComponentFailed", "Kafka Connect was never killed in this run");
  return { from: run.writesStartedAt, to: run.killedAt };
}

export function requireOf<T>(map: ReadonlyMap<SubjectId, T>, subject: SubjectId, what: string): T {
  const found = map.get(subject);
  if (found === undefined) throw new LabError("ComponentFailed", `${subject} has no ${what} from an earlier step`);
  return found;
}
