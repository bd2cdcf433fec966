import type { CartView } from "../../../services/cart/index.ts";
import { LabError } from "../../../services/platform/errors.ts";
import type { CartRecord } from "../../kit/cart-record.ts";
import { byDesign } from "../../kit/drivers/subject-driver.ts";
import type { SubjectDriver } from "../../kit/drivers/subject-driver.ts";
import type { PlannedEdit } from "../../kit/hand-edits.ts";

/** recover.tampered-state's working state for one run. */
export interface TamperedStateRun {
  record: CartRecord;
  /** The last valid moment (epoch ms): every app commit is before it, the hand edit after it. */
  validAt: number | null;
  validViews: Map<string, CartView | null>;
  edits: PlannedEdit[];
}

export function requireValidAt(run: TamperedStateRun): number {
  if (run.validAt === null) throw new LabError("ComponentFailed", "the last valid moment was never marked");
  return run.validAt;
}

/** The state an operator sees in the subject's state tables: the read model for the journal, the CRUD tables otherwise. */
export function stateTableView(driver: SubjectDriver, cartId: string): Promise<CartView | null> {
  return byDesign(driver, {
    es: (journal) => journal.readModelView(cartId),
    crud: (tables) => tables.current(cartId),
    cdc: (tables) => tables.current(cartId),
  });
}
