import { z } from "zod";
import type { CartState } from "../cart/index.ts";
import { cartCustomerSchema, cartDiscountSchema, cartLineSchema } from "./cart-event-codec.ts";
import { cartStreamId } from "./cart-stream.ts";
import type { JsonValue } from "./event-journal.ts";
import type { NewSnapshot, Snapshot } from "./snapshot-store.ts";

/** The shape of `CartState` that snapshots hold; raise it whenever `CartState` changes shape. */
export const cartSnapshotSchemaVersion = 1;

const cartStateSchema: z.ZodType<CartState> = z.discriminatedUnion("status", [
  z.strictObject({ status: z.literal("empty") }),
  // The customer is optional, as in CartState: snapshots taken before it existed still decode.
  z.strictObject({
    status: z.literal("open"),
    cartId: z.string(),
    items: z.array(cartLineSchema),
    discounts: z.array(cartDiscountSchema),
    customer: cartCustomerSchema.optional(),
  }),
  z.strictObject({
    status: z.literal("checked_out"),
    cartId: z.string(),
    items: z.array(cartLineSchema),
    discounts: z.array(cartDiscountSchema),
    totalCents: z.number().int(),
    customer: cartCustomerSchema.optional(),
  }),
]);

export function toCartSnapshot(cartId: string, streamVersion: number, state: CartState): NewSnapshot {
  return { streamId: cartStreamId(cartId), streamVersion, schemaVersion: cartSnapshotSchemaVersion, state: state as unknown as JsonValue };
}

export type DecodedCartSnapshot = { ok: true; state: CartState } | { ok: false; reason: string };

/**
 * A snapshot is only a shortcut: one in another shape, or one that does not decode, is set aside
 * (the caller folds the whole stream instead) rather than trusted or treated as fatal.
 */
export function decodeCartSnapshot(cartId: string, snapshot: Snapshot): DecodedCartSnapshot {
  if (snapshot.schemaVersion !== cartSnapshotSchemaVersion) {
    return { ok: false, reason: `snapshot is in state shape v${snapshot.schemaVersion}, this code reads v${cartSnapshotSchemaVersion}` };
  }
  const parsed = cartStateSchema.safeParse(snapshot.state);
  if (!parsed.success) {
    return { ok: false, reason: `snapshot does not decode: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}` };
  }
  if (parsed.data.status !== "empty" && parsed.data.cartId !== cartId) {
    return { ok: false, reason: `snapshot holds cart ${parsed.data.cartId}` };
  }
  return { ok: true, state: parsed.data };
}
