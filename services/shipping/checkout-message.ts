import { z } from "zod";
import { LabError } from "../platform/errors.ts";

/** The only event type the checkout topics carry, in the `eventType` header of both designs. */
export const cartCheckedOutEventType = "CartCheckedOut";

/** Where a record sits in Kafka; offsets are decimal strings, as Kafka's are 64-bit. */
export interface CheckoutPosition {
  topic: string;
  partition: number;
  offset: string;
}

/** A record as it comes off the wire, before anything about it is trusted. */
export interface RawCheckoutRecord {
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

// Shaped like PostgreSQL's uuid input, not a particular UUID version: the id is stored as uuid,
// and an id PostgreSQL would refuse must stop the consumer here, named, not inside an INSERT.
const uuidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// zod 4's int() admits safe integers only, so cents never lose precision past 2^53.
const cents = z.number().int();

// Not strict: an integration event gains fields over time, and a consumer that stopped on each
// new one would couple every producer's release to this one's.
const lineSchema = z.object({
  sku: z.string().min(1),
  name: z.string(),
  unitPriceCents: cents.nonnegative(),
  quantity: z.number().int().positive(),
});
const discountSchema = z.object({
  discountId: z.string().min(1),
  sku: z.string().min(1),
  minQuantity: z.number().int().positive(),
  amountCents: cents.negative(),
});
// Either the personal data shipping needs, or the marker of a customer forgotten before checkout.
const customerSchema = z.union([
  z.object({ customerId: z.string().min(1), email: z.string(), name: z.string(), shippingAddress: z.string() }),
  z.object({ customerId: z.string().min(1), email: z.null(), name: z.null(), shippingAddress: z.null(), erased: z.literal(true) }),
]);
const checkoutPayloadSchema = z.object({
  eventId: z.string().regex(uuidPattern, "must be a uuid"),
  cartId: z.string().min(1),
  // A cart cannot be checked out empty (EmptyCart), so an empty list is a broken message.
  items: z.array(lineSchema).min(1),
  // Debezium 3.6's Outbox Event Router drops an empty array when it expands the payload
  // (debezium/dbz#921), so a cart checked out without discounts arrives without the field.
  discounts: z.array(discountSchema).optional().transform((discounts) => discounts ?? []),
  totalCents: cents.nonnegative(),
  checkedOutAt: z.iso.datetime({ offset: true }),
  // Absent for a cart no customer was attached to (null is read the same way).
  customer: customerSchema.nullish().transform((customer) => customer ?? undefined),
});

export type CheckoutPayload = z.output<typeof checkoutPayloadSchema>;

/** A checkout as the shipping consumer trusts it: payload, dedup id and position all checked. */
export interface CheckoutMessage {
  position: CheckoutPosition;
  /** The `id` header, equal to the payload's eventId: what makes a second copy recognisable. */
  eventId: string;
  cartId: string;
  payload: CheckoutPayload;
}

/**
 * Decodes one checkout record of either design: the value is the JSON payload, the key the
 * cartId, headers `id` (the event id) and `eventType`. Anything else is a poison message,
 * reported with its position so it can be found and the consumer stopped on it.
 */
export function decodeCheckoutRecord(record: RawCheckoutRecord, position: CheckoutPosition): CheckoutMessage {
  const fail = (problem: string, cause?: unknown): never => {
    throw new LabError("DecodeFailed", `cannot decode checkout message at ${position.topic}[${position.partition}]@${position.offset}: ${problem}`, {
      cause,
      details: { ...position, problem },
    });
  };
  if (record.value === null) return fail("the value is null (a tombstone has no checkout in it)");
  let json: unknown;
  try {
    json = JSON.parse(text(record.value));
  } catch (error) {
    return fail("the value is not JSON", error);
  }
  const parsed = checkoutPayloadSchema.safeParse(json);
  if (!parsed.success) {
    return fail(parsed.error.issues.map((issue) => `${issue.path.join(".") || "value"}: ${issue.message}`).join("; "));
  }
  const payload = parsed.data;
  const eventId = singleHeader(record.headers, "id", fail);
  const eventType = singleHeader(record.headers, "eventType", fail);
  if (eventType !== cartCheckedOutEventType) fail(`header eventType is ${JSON.stringify(eventType)}, not ${cartCheckedOutEventType}`);
  // The header is what the outbox row's id became; the two disagreeing means the message was
  // assembled wrongly, and deduplicating on either one would be a guess.
  if (eventId.toLowerCase() !== payload.eventId.toLowerCase()) fail(`header id ${eventId} differs from the payload's eventId ${payload.eventId}`);
  const key = record.key === null ? null : text(record.key);
  // Per-cart order in Kafka holds only when the key is the cartId.
  if (key !== payload.cartId) fail(`key ${JSON.stringify(key)} is not the payload's cartId ${JSON.stringify(payload.cartId)}`);
  return { position, eventId: payload.eventId.toLowerCase(), cartId: payload.cartId, payload };
}

function singleHeader(headers: RawCheckoutRecord["headers"], name: string, fail: (problem: string) => never): string {
  const value = headers[name];
  if (value === undefined) return fail(`header ${name} is missing`);
  if (Array.isArray(value)) {
    const [only, ...others] = value;
    if (only === undefined || others.length > 0) return fail(`header ${name} appears ${value.length} times`);
    return text(only);
  }
  return text(value);
}

function text(value: Buffer | string): string {
  return typeof value === "string" ? value : value.toString("utf8");
}
