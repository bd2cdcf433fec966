import { LabError } from "../../../services/platform/errors.ts";
import type { SubjectId } from "../../model/subjects.ts";
import type { WorkloadCommand } from "../../workload/cart-workload.ts";
import type { DirectEditTarget, ExpectedChange } from "./audit-record.ts";

/** audit.intent's working state for one run. */
export interface AuditState {
  workload: WorkloadCommand[];
  /** Per cart, in order: the changes the workload made (rejected and no-op commands write nothing). */
  expected: Map<string, ExpectedChange[]>;
  /** A cart still open at the end, with a line the operator can reprice. */
  target: DirectEditTarget | null;
  /** The operator's transaction per CRUD subject, as Debezium names it (32-bit xid). */
  directEditTx: Map<SubjectId, number>;
}

export function requireTarget(state: AuditState): DirectEditTarget {
  if (state.target === null) throw new LabError("UsageInvalid", "the workload left no open cart with a line for the operator to edit; use a larger size");
  return state.target;
}
