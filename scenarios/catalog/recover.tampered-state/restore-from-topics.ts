import { cdcStateAsOf } from "../../../services/crud-cdc/cdc-history.ts";
import { listCrudCartIds } from "../../../services/crud-cdc/crud/read-crud-state.ts";
import { sameView } from "../../kit/cart-record.ts";
import type { CdcDriver } from "../../kit/drivers/subject-driver.ts";
import { writeCartRows } from "../../kit/write-cart-rows.ts";

/**
 * Replays the topics to the last valid moment and writes back every cart whose rows differ from
 * it. The edit itself is in the topics too, after that moment, so the replay leaves it out; no
 * list of damaged carts is needed. Resolves with the number of carts rewritten.
 */
export async function restoreFromTopics(cdc: CdcDriver, validAt: number): Promise<number> {
  const history = await cdc.history();
  const cartIds = new Set([...history.keys(), ...(await listCrudCartIds(cdc.knex, cdc.names.crudSchema))]);
  let rewritten = 0;
  for (const cartId of [...cartIds].sort()) {
    const then = cdcStateAsOf(history.get(cartId) ?? [], { at: validAt });
    if (sameView(await cdc.current(cartId), then)) continue;
    await writeCartRows(cdc, cartId, then);
    rewritten += 1;
  }
  return rewritten;
}
