import type { CartView } from "../../../services/cart/index.ts";
import { cdcStateAsOf } from "../../../services/crud-cdc/cdc-history.ts";
import type { CdcHistory } from "../../../services/crud-cdc/cdc-history.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import type { OpenedSubject } from "../../model/scenario.ts";
import { sameView } from "./cart-record.ts";

/**
 * Waits (bounded) until a CDC subject's topics, replayed from their start, give `expected` for
 * every cart: Debezium streams asynchronously, and a question asked of the topics before they
 * hold the last commit would blame the design for the connector's lag. Resolves with that history.
 */
export async function waitForTopicsToHold(subject: OpenedSubject, expected: ReadonlyMap<string, CartView | null>, timeoutMs = 60_000): Promise<CdcHistory> {
  let behind: string[] = [];
  return waitFor(
    async () => {
      const history = await subject.designs.cdcHistory();
      behind = [...expected].filter(([cartId, view]) => !sameView(cdcStateAsOf(history.get(cartId) ?? [], null), view)).map(([cartId]) => cartId);
      return behind.length === 0 ? history : undefined;
    },
    { what: `the topics of ${subject.spec.id} to hold ${expected.size} carts`, timeoutMs, intervalMs: 500, onTimeout: () => ({ cartsBehind: behind.slice(0, 10) }) },
  );
}
