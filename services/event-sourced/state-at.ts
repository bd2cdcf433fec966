import { fold, toCartView } from "../cart/index.ts";
import type { CartView } from "../cart/index.ts";
import { LabError } from "../platform/errors.ts";
import { decodeCartEvent } from "./cart-event-codec.ts";
import { cartStreamId } from "./cart-stream.ts";
import { loadCart } from "./load-cart.ts";
import type { LoadCartDeps } from "./load-cart.ts";

/** A version of the cart's stream (1 = its first event), or an ISO-8601 time compared with `recorded_at`. */
export type AsOf = { version: number } | { at: string };

/**
 * The cart as it was: after its first `version` events, or after the events the journal had
 * recorded by `at`. `null` when the cart had no events by then. The time is the journal's
 * `recorded_at`, set at insert inside the appending transaction, not the `decidedAt` of the
 * command. It is not the commit time the CDC side uses: an append inserted before `at` but
 * committed after it counts here. Probes between commands (as the scenarios take them) cannot
 * tell the two apart; a probe inside a slow append could.
 */
export async function stateAt(deps: LoadCartDeps, cartId: string, asOf: AsOf): Promise<CartView | null> {
  if ("version" in asOf) {
    if (!(Number.isInteger(asOf.version) && asOf.version >= 0)) {
      throw new LabError("UsageInvalid", `version must be an integer >= 0, got ${asOf.version}`, { details: { version: asOf.version } });
    }
    return toCartView((await loadCart(deps, cartId, { toVersion: asOf.version })).state);
  }
  if (Number.isNaN(Date.parse(asOf.at))) {
    throw new LabError("UsageInvalid", `time must be ISO-8601, got ${JSON.stringify(asOf.at)}`, { details: { at: asOf.at } });
  }
  const events = await deps.journal.readStream(cartStreamId(cartId), { toRecordedAt: asOf.at });
  return toCartView(fold(events.map(decodeCartEvent)));
}
