import { z } from "zod";
import type { CartEvent, CartEventType, CommandMetadata } from "../cart/index.ts";
import { LabError } from "../platform/errors.ts";
import { cartIdOfStream } from "./cart-stream.ts";
import { centsToDecimal, decimalToCents } from "../cart/money.ts";
import type { JsonObject, NewEvent, RecordedEvent } from "./event-journal.ts";

/**
 * A release of the code, as far as the journal's events are concerned: the schema version it
 * writes each event type at, and the versions its decoder knows (older ones must reach one of
 * them through the journal's upcasters first). Which release runs is chosen at deploy time: a
 * handler and a journal are built for one (`createCartEventCodec`, `createDecimalPriceUpcasters`).
 */
export interface CartEventRelease {
  readonly name: string;
  readonly writes: { readonly [K in CartEventType]: number };
  readonly reads: { readonly [K in CartEventType]: readonly number[] };
}

const unchangedTypes = { ItemRemoved: 1, DiscountApplied: 1, DiscountRevoked: 1, CheckedOut: 1, CustomerAttached: 1 } as const;
const unchangedReads = { ItemRemoved: [1], DiscountApplied: [1], DiscountRevoked: [1], CheckedOut: [1], CustomerAttached: [1] } as const;

/**
 * The release before the price became a decimal: ItemAdded v2 and PriceCorrected v1 hold integer
 * cents (`unitPriceCents`), and that is all it reads. ItemAdded v1 (a decimal `price`) reaches v2
 * through `itemAddedV1ToV2`. What a consumer built for the old shape is.
 */
export const centsRelease: CartEventRelease = {
  name: "cents",
  writes: { ...unchangedTypes, ItemAdded: 2, PriceCorrected: 1 },
  reads: { ...unchangedReads, ItemAdded: [2], PriceCorrected: [1] },
};

/**
 * The release that renames and retypes the price: ItemAdded v3 and PriceCorrected v2 hold
 * `unitPrice`, a decimal string of currency units ("1.50"). Its reader knows only those, so it
 * reads older events through the whole upcaster chain (`createDecimalPriceUpcasters`).
 */
export const decimalPriceRelease: CartEventRelease = {
  name: "decimal-price",
  writes: { ...unchangedTypes, ItemAdded: 3, PriceCorrected: 2 },
  reads: { ...unchangedReads, ItemAdded: [3], PriceCorrected: [2] },
};

/**
 * The code as it ships: it still writes the cents shapes (so a release that reads only those can
 * run beside it), and it reads the final shape of either release. Readers first, writers second:
 * the order that lets a rolling deploy switch to the decimal-price release without a reader that
 * cannot decode what the new writers write.
 */
export const currentRelease: CartEventRelease = {
  name: "current",
  writes: centsRelease.writes,
  reads: { ...unchangedReads, ItemAdded: [2, 3], PriceCorrected: [1, 2] },
};

/** The shape each cart event is written in by default (the current release). */
export const cartEventSchemaVersions: { readonly [K in CartEventType]: number } = currentRelease.writes;

const text = z.string();
const integer = z.number().int();
export const cartLineSchema = z.strictObject({ sku: text, name: text, unitPriceCents: integer, quantity: integer });
export const cartDiscountSchema = z.strictObject({ discountId: text, sku: text, minQuantity: integer, amountCents: integer });
/** Either the personal data, or the marker a read gives once the customer's key is gone. */
export const cartCustomerSchema = z.union([
  z.strictObject({ customerId: text, email: text, name: text, shippingAddress: text }),
  z.strictObject({ customerId: text, email: z.null(), name: z.null(), shippingAddress: z.null(), erased: z.literal(true) }),
]);

// A decimal of currency units with at most two places, read exactly (decimalToCents works on the digits).
const decimalPrice = z
  .string()
  .regex(/^\d{1,7}(?:\.\d{1,2})?$/, { error: "must be a decimal with at most two places" })
  .transform((price) => decimalToCents(price));

type EventData<K extends CartEventType> = Omit<Extract<CartEvent, { type: K }>, "type">;

/** One stored shape of one event type: how its `data` reads into the rules' event, and how the event is written in it. */
interface EventShape<K extends CartEventType> {
  read: z.ZodType<EventData<K>, JsonObject>;
  write(data: EventData<K>): JsonObject;
}

const asStored = <K extends CartEventType>(read: z.ZodType<EventData<K>, JsonObject>): EventShape<K> => ({ read, write: (data) => data as JsonObject });

// Strict: an unknown field in stored data means a shape this code does not know, which must
// fail loudly rather than fold into a state that silently ignores it.
const shapes: { [K in CartEventType]: Readonly<Partial<Record<number, EventShape<K>>>> } = {
  ItemAdded: {
    2: asStored(z.strictObject({ cartId: text, sku: text, name: text, unitPriceCents: integer, quantity: integer })),
    3: {
      read: z
        .strictObject({ cartId: text, sku: text, name: text, unitPrice: decimalPrice, quantity: integer })
        .transform(({ unitPrice, ...rest }) => ({ cartId: rest.cartId, sku: rest.sku, name: rest.name, unitPriceCents: unitPrice, quantity: rest.quantity })),
      write: ({ unitPriceCents, ...rest }) => ({ ...rest, unitPrice: centsToDecimal(unitPriceCents) }),
    },
  },
  ItemRemoved: { 1: asStored(z.strictObject({ cartId: text, sku: text })) },
  DiscountApplied: { 1: asStored(z.strictObject({ cartId: text, discountId: text, sku: text, minQuantity: integer, amountCents: integer })) },
  DiscountRevoked: { 1: asStored(z.strictObject({ cartId: text, discountId: text })) },
  PriceCorrected: {
    1: asStored(z.strictObject({ cartId: text, sku: text, unitPriceCents: integer })),
    2: {
      read: z
        .strictObject({ cartId: text, sku: text, unitPrice: decimalPrice })
        .transform(({ unitPrice, ...rest }) => ({ cartId: rest.cartId, sku: rest.sku, unitPriceCents: unitPrice })),
      write: ({ unitPriceCents, ...rest }) => ({ ...rest, unitPrice: centsToDecimal(unitPriceCents) }),
    },
  },
  CheckedOut: {
    1: asStored(
      z.strictObject({
        cartId: text,
        items: z.array(cartLineSchema),
        discounts: z.array(cartDiscountSchema),
        totalCents: integer,
        customer: cartCustomerSchema.optional(),
      }),
    ),
  },
  CustomerAttached: { 1: asStored(z.strictObject({ cartId: text, customer: cartCustomerSchema })) },
};

/** How one release stores and reads cart events. */
export interface CartEventCodec {
  readonly release: CartEventRelease;
  /** The event as the journal stores it: type in its column, the rest as data, intent as metadata. */
  encode(event: CartEvent, metadata: CommandMetadata): NewEvent;
  /** Decodes an (already upcast) event of a cart stream, or fails naming where it sits. */
  decode(recorded: RecordedEvent): CartEvent;
}

export function createCartEventCodec(release: CartEventRelease): CartEventCodec {
  for (const type of Object.keys(shapes) as CartEventType[]) {
    for (const version of [release.writes[type], ...release.reads[type]]) {
      // A release naming a shape nobody wrote a reader for is a mistake of its author, found at startup.
      if (shapes[type][version] === undefined) {
        throw new LabError("UsageInvalid", `release ${release.name} names ${type} v${version}, a shape this code does not know`, {
          details: { release: release.name, eventType: type, schemaVersion: version },
        });
      }
    }
  }
  return {
    release,
    encode: (event, metadata) => encodeIn(release, event, metadata),
    decode: (recorded) => decodeIn(release, recorded),
  };
}

function shapeOf<K extends CartEventType>(type: K, version: number): EventShape<K> | undefined {
  return shapes[type][version] as EventShape<K> | undefined;
}

function encodeIn(release: CartEventRelease, event: CartEvent, metadata: CommandMetadata): NewEvent {
  const { type, ...data } = event;
  const schemaVersion = release.writes[type];
  const shape = shapeOf(type, schemaVersion);
  if (shape === undefined) throw new LabError("UsageInvalid", `no ${type} v${schemaVersion} shape to write in`);
  return {
    type,
    data: shape.write(data as EventData<typeof type>),
    metadata: {
      actor: metadata.actor,
      reason: metadata.reason,
      correlationId: metadata.correlationId,
      decidedAt: metadata.decidedAt,
    },
    schemaVersion,
  };
}

export function isCartEventType(type: string): type is CartEventType {
  return Object.hasOwn(shapes, type);
}

function decodeIn(release: CartEventRelease, recorded: RecordedEvent): CartEvent {
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
        release: release.name,
      },
    });
  };
  const type = recorded.type;
  if (!isCartEventType(type)) return fail("not a cart event type");
  const known = release.reads[type];
  const shape = known.includes(recorded.schemaVersion) ? shapeOf(type, recorded.schemaVersion) : undefined;
  if (shape === undefined) {
    return fail(`this code (release ${release.name}) reads v${known.join(" or v")}, and no upcaster leads there`);
  }
  const parsed = shape.read.safeParse(recorded.data);
  if (!parsed.success) {
    return fail(parsed.error.issues.map((issue) => `${issue.path.join(".") || "data"}: ${issue.message}`).join("; "));
  }
  const event = { type, ...parsed.data } as CartEvent;
  const streamCartId = cartIdOfStream(recorded.streamId);
  if (event.cartId !== streamCartId) return fail(`its cartId ${event.cartId} does not belong to this stream`);
  return event;
}

const currentCodec = createCartEventCodec(currentRelease);

/** The current release's encoding (today's shapes). */
export function encodeCartEvent(event: CartEvent, metadata: CommandMetadata): NewEvent {
  return currentCodec.encode(event, metadata);
}

/** The current release's decoder: the final shape of either release, once upcast. */
export function decodeCartEvent(recorded: RecordedEvent): CartEvent {
  return currentCodec.decode(recorded);
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
