import { z } from "zod";
import type { CartCommand, CartEvent, CartCommandType, CartEventType, CommandMetadata } from "../../cart/index.ts";
import { LabError } from "../../platform/errors.ts";

/**
 * The logical decoding message prefix of intent messages: the connector's
 * `message.prefix.include.list` names it, and Debezium emits each message as op `m`.
 */
export const cartIntentPrefix = "cart-intent";

/** Who asked for a change and why: what plain CDC of the rows cannot tell. */
export interface CartIntent {
  commandType: CartCommandType;
  cartId: string;
  actor: string;
  reason: string | null;
  correlationId: string;
  decidedAt: string;
  /** The types of the events the command was decided into, in order. */
  events: CartEventType[];
}

export function cartIntent(command: CartCommand, metadata: CommandMetadata, events: readonly CartEvent[]): CartIntent {
  return {
    commandType: command.type,
    cartId: command.cartId,
    actor: metadata.actor,
    reason: metadata.reason,
    correlationId: metadata.correlationId,
    decidedAt: metadata.decidedAt,
    events: events.map((event) => event.type),
  };
}

// Records over the cart module's unions: a new command or event type fails to compile here
// instead of making every intent that mentions it undecodable.
const commandTypeSet: Record<CartCommandType, true> = {
  AddItem: true,
  RemoveItem: true,
  ApplyDiscount: true,
  RevokeDiscount: true,
  CorrectPrice: true,
  CheckOut: true,
  AttachCustomer: true,
};
const eventTypeSet: Record<CartEventType, true> = {
  ItemAdded: true,
  ItemRemoved: true,
  DiscountApplied: true,
  DiscountRevoked: true,
  PriceCorrected: true,
  CheckedOut: true,
  CustomerAttached: true,
};
const commandTypes = Object.keys(commandTypeSet) as [CartCommandType, ...CartCommandType[]];
const eventTypes = Object.keys(eventTypeSet) as [CartEventType, ...CartEventType[]];

// Not strict: a newer writer may add fields, and an audit reader should still read what it knows.
const cartIntentSchema = z.object({
  commandType: z.enum(commandTypes),
  cartId: z.string(),
  actor: z.string(),
  reason: z.string().nullable(),
  correlationId: z.string(),
  decidedAt: z.string(),
  events: z.array(z.enum(eventTypes)),
});

/** Decodes an intent message's content at the edge (the change feed hands it over as text). */
export function decodeCartIntent(content: string): CartIntent {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (error) {
    throw new LabError("DecodeFailed", `cart intent message is not JSON: ${content.slice(0, 200)}`, { cause: error });
  }
  const parsed = cartIntentSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "message"} ${issue.message}`);
    throw new LabError("DecodeFailed", `unreadable cart intent message: ${problems.join("; ")}`, { details: { content, problems } });
  }
  return parsed.data;
}

