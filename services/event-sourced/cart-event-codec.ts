import { z } from "zod";
import type { CartEvent, CartEventType, CommandMetadata } from "../cart/index.ts";
import { LabError } from "../platform/errors.ts";
import { cartIdOfStream } from "./cart-stream.ts";
import type { JsonObject, NewEvent, RecordedEvent } from "./event-journal.ts";

/**
 * The shape each cart event is written in today. Reading an older shape needs an upcaster
 * (cart-upcasters.ts); ItemAdded is at 2 because v1 stored its price as a decimal string.
 */
export const cartEventSchemaVersions: { readonly [K in CartEventType]: number } = {
  ItemAdded: 2,
  ItemRemoved: 1,
  DiscountApplied: 1,
  DiscountRevoked: 1,
  PriceCorrected: 1,
  CheckedOut: 1,
  CustomerAttached: 1,
};

const text = z.string();
const integer = z.number().int();
export const cartLineSchema = z.strictObject({ sku: text, name: text, unitPriceCents: integer, quantity: integer });
export const cartDiscountSchema = z.strictObject({ discountId: text, sku: text, minQuantity: integer, amountCents: integer });
/** Either the personal data, or the marker a read gives once the customer's key is gone. */
export const cartCustomerSchema = z.union([
  z.strictObject({ customerId: text, email: text, name: text, shippingAddress: text }),
  z.strictObject({ customerId: text, email: z.null(), name: z.null(), shippingAddress: z.null(), erased: z.literal(true) }),
]);

// Strict: an unknown field in stored data means a shape this code does not know, which must
// fail loudly rather than fold into a state that silently ignores it.
const dataSchemas: { [K in CartEventType]: z.ZodType<Omit<Extract<CartEvent, { type: K }>, "type">> } = {
  ItemAdded: z.strictObject({ cartId: text, sku: text, name: text, unitPriceCents: integer, quantity: integer }),
  ItemRemoved: z.strictObject({ cartId: text, sku: text }),
  DiscountApplied: z.strictObject({ cartId: text, discountId: text, sku: text, minQuantity: integer, amountCents: integer }),
  DiscountRevoked: z.strictObject({ cartId: text, discountId: text }),
  PriceCorrected: z.strictObject({ cartId: text, sku: text, unitPriceCents: integer }),
  CheckedOut: z.strictObject({
    cartId: text,
    items: z.array(cartLineSchema),
    discounts: z.array(cartDiscountSchema),
    totalCents: integer,
    customer: cartCustomerSchema.optional(),
  }),
  CustomerAttached: z.strictObject({ cartId: text, customer: cartCustomerSchema }),
};

/** The event as the journal stores it: type in its column, the rest as data, intent as metadata. */
export function encodeCartEvent(event: CartEvent, metadata: CommandMetadata): NewEvent {
  const { type, ...data } = event;
  return {
    type,
    data: data as JsonObject,
    metadata: {
      actor: metadata.actor,
      reason: metadata.reason,
      correlationId: metadata.correlationId,
      decidedAt: metadata.decidedAt,
    },
    schemaVersion: cartEventSchemaVersions[type],
  };
}

export function isCartEventType(type: string): type is CartEventType {
  return Object.hasOwn(cartEventSchemaVersions, type);
}

/** Decodes an (already upcast) event of a cart stream, or fails naming where it sits. */
export function decodeCartEvent(recorded: RecordedEvent): CartEvent {
  const where = `${recorded.streamId}@${recorded.streamVersion} (global position ${recorded.globalPosition})`;
  const fail = (problem: string): never => {
    throw new LabError("DecodeFailed", `cannot decode ${recorded.type} v${recorded.schemaVersion} at ${where}: ${problem}`, {
      details: {
        streamId: recorded.streamId,
        streamVersion: recorded.streamVersion,
        globalPosition: recorded.globalPosition,
        eventType: recorded.type,
        schemaVersion: recorded.schemaVersion,
        storedSchemaVersion: recorded.storedSchemaVersion,
      },
    });
  };
  const type = recorded.type;
  if (!isCartEventType(type)) return fail("not a cart event type");
  if (recorded.schemaVersion !== cartEventSchemaVersions[type]) {
    return fail(`this code reads v${cartEventSchemaVersions[type]}, and no upcaster leads there`);
  }
  const parsed = dataSchemas[type].safeParse(recorded.data);
  if (!parsed.success) {
    return fail(parsed.error.issues.map((issue) => `${issue.path.join(".") || "data"}: ${issue.message}`).join("; "));
  }
  const event = { type, ...parsed.data } as CartEvent;
  const streamCartId = cartIdOfStream(recorded.streamId);
  if (event.cartId !== streamCartId) return fail(`its cartId ${event.cartId} does not belong to this stream`);
  return event;
}

/** The intent stored with an event. Fields are null when the writer left them out (e.g. an operator's hand-made event). */
export interface RecordedIntent {
  actor: string | null;
  reason: string | null;
  correlationId: string | null;
  decidedAt: string | null;
}

export function recordedIntent(metadata: JsonObject): RecordedIntent {
  const field = (name: keyof RecordedIntent): string | null => {
    const value = metadata[name];
    return typeof value === "string" ? value : null;
  };
  return { actor: field("actor"), reason: field("reason"), correlationId: field("correlationId"), decidedAt: field("decidedAt") };
}
