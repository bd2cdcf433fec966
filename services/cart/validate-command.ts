import { z } from "zod";
import { cartLimits, idPattern } from "./cart-limits.ts";
import type { CartCommand, CartCommandType } from "./commands.ts";
import { cartRejection } from "./rejection.ts";
import type { CartRejection, FieldError } from "./rejection.ts";

/** Command metadata as the caller sent it; the adapter adds a generated correlationId and the clock's time. */
export interface ParsedMetadata {
  actor: string;
  reason: string | null;
  /** `null` when absent: the caller generates one. */
  correlationId: string | null;
}

export type ParseCommandResult = { ok: true; command: CartCommand } | { ok: false; rejection: CartRejection };
export type ParseMetadataResult = { ok: true; metadata: ParsedMetadata } | { ok: false; rejection: CartRejection };

const required = "is required";

/** Missing and malformed read differently to a user, so zod's generic type message is replaced by both. */
function requiredOr(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? required : message);
}

// Counted in code points, as a person (and PostgreSQL's varchar) counts characters.
function characterCount(text: string): number {
  return [...text].length;
}

/**
 * Text PostgreSQL can store: no NUL character (text and jsonb refuse it) and no unpaired UTF-16
 * surrogate (not a character; one design's driver stored U+FFFD in its place, the other's
 * aborted). Refused here, at the edge, so both designs answer the same ValidationFailed and
 * nothing reaches the database.
 */
const unpairedSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const storableMessage = "must not contain NUL characters or unpaired surrogates";
const storable = (text: string): boolean => !text.includes("\u0000") && !unpairedSurrogate.test(text);

const idMessage = "must be 1-64 letters, digits, '_' or '-', starting with a letter or digit";
const id = z.string({ error: requiredOr(idMessage) }).regex(idPattern, { error: idMessage });

function trimmedText(min: number, max: number) {
  const message = `must be ${min}-${max} characters after trimming`;
  return z
    .string({ error: requiredOr(message) })
    .refine(storable, { error: storableMessage, abort: true })
    .trim()
    .refine((text) => characterCount(text) >= min && characterCount(text) <= max, { error: message });
}

function integerBetween(min: number, max: number) {
  const message = `must be an integer from ${min} to ${max}`;
  return z
    .int({ error: requiredOr(message) })
    .min(min, { error: message })
    .max(max, { error: message });
}

// Plausible, not RFC 5322: one @, no spaces, a dotted domain. Deliverability is the mail
// system's to prove; the edge only keeps out what is clearly not an address.
const emailPattern = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const emailMessage = `must be an e-mail address of at most ${cartLimits.maxEmailLength} characters`;
const email = z
  .string({ error: requiredOr(emailMessage) })
  .refine(storable, { error: storableMessage, abort: true })
  .trim()
  .refine((text) => characterCount(text) <= cartLimits.maxEmailLength && emailPattern.test(text), { error: emailMessage });

const quantity = integerBetween(1, cartLimits.maxLineQuantity);
const unitPriceCents = integerBetween(0, cartLimits.maxUnitPriceCents);
const amountCents = integerBetween(cartLimits.minAmountCents, cartLimits.maxAmountCents);

// Keyed by every command type, so adding a command without its schema does not compile.
const commandSchemas: { [K in CartCommandType]: z.ZodType<Extract<CartCommand, { type: K }>> } = {
  AddItem: z.strictObject({
    type: z.literal("AddItem"),
    cartId: id,
    sku: id,
    name: trimmedText(1, cartLimits.maxNameLength),
    unitPriceCents,
    quantity,
  }),
  RemoveItem: z.strictObject({ type: z.literal("RemoveItem"), cartId: id, sku: id }),
  ApplyDiscount: z.strictObject({
    type: z.literal("ApplyDiscount"),
    cartId: id,
    discountId: id,
    sku: id,
    minQuantity: quantity,
    amountCents,
  }),
  RevokeDiscount: z.strictObject({ type: z.literal("RevokeDiscount"), cartId: id, discountId: id }),
  CorrectPrice: z.strictObject({ type: z.literal("CorrectPrice"), cartId: id, sku: id, unitPriceCents }),
  CheckOut: z.strictObject({ type: z.literal("CheckOut"), cartId: id }),
  AttachCustomer: z.strictObject({
    type: z.literal("AttachCustomer"),
    cartId: id,
    customerId: id,
    email,
    name: trimmedText(1, cartLimits.maxCustomerNameLength),
    shippingAddress: trimmedText(1, cartLimits.maxShippingAddressLength),
  }),
};

const commandTypes = Object.keys(commandSchemas) as CartCommandType[];

const reasonMessage = `must be a string of at most ${cartLimits.maxReasonLength} characters`;

const metadataSchema = z.strictObject({
  actor: trimmedText(1, cartLimits.maxActorLength),
  // null is accepted as "absent": JSON producers often write it for an empty optional field.
  reason: z
    .string({ error: reasonMessage })
    .refine(storable, { error: storableMessage, abort: true })
    .refine((text) => characterCount(text) <= cartLimits.maxReasonLength, { error: reasonMessage })
    .nullish(),
  correlationId: id.nullish(),
});

/** Decodes one raw JSON command at the edge; past this point the rules trust its types and ranges. */
export function parseCommand(input: unknown): ParseCommandResult {
  if (!isPlainObject(input)) {
    return invalid("Invalid command", [{ field: "command", message: "must be a JSON object" }]);
  }
  const type = input["type"];
  const expected = `must be one of ${commandTypes.join(", ")}`;
  if (typeof type !== "string") {
    return invalid("Invalid command", [{ field: "type", message: type === undefined ? required : expected }]);
  }
  if (!isCommandType(type)) {
    return {
      ok: false,
      rejection: cartRejection("UnknownCommand", `Unknown command type ${JSON.stringify(type)}; type ${expected}.`, [
        { field: "type", message: expected },
      ]),
    };
  }
  const parsed = commandSchemas[type].safeParse(input);
  if (parsed.success) return { ok: true, command: parsed.data };
  return invalid(`Invalid ${type} command`, fieldErrors(parsed.error.issues, []));
}

export function parseMetadata(input: unknown): ParseMetadataResult {
  if (!isPlainObject(input)) {
    return invalid("Invalid command metadata", [{ field: "metadata", message: "must be a JSON object" }]);
  }
  const parsed = metadataSchema.safeParse(input);
  if (!parsed.success) return invalid("Invalid command metadata", fieldErrors(parsed.error.issues, ["metadata"]));
  return {
    ok: true,
    metadata: {
      actor: parsed.data.actor,
      reason: parsed.data.reason ?? null,
      correlationId: parsed.data.correlationId ?? null,
    },
  };
}

function isPlainObject(input: unknown): input is Record<string, unknown> {
  return typeof input === "object" && input !== null && !Array.isArray(input);
}

function isCommandType(type: string): type is CartCommandType {
  // hasOwn, so "toString" or "__proto__" are unknown commands rather than prototype hits.
  return Object.hasOwn(commandSchemas, type);
}

/** One entry per bad field (the first problem found for it), in the order zod reports them. */
function fieldErrors(issues: readonly z.core.$ZodIssue[], prefix: readonly string[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const add = (path: readonly PropertyKey[], message: string): void => {
    const field = [...prefix, ...path.map(String)].join(".");
    if (seen.has(field)) return;
    seen.add(field);
    errors.push({ field, message });
  };
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) add([...issue.path, key], "is not a known field");
    } else {
      add(issue.path, issue.message);
    }
  }
  return errors;
}

function invalid(subject: string, fields: FieldError[]): { ok: false; rejection: CartRejection } {
  const details = fields.map((error) => `${error.field} ${error.message}`).join("; ");
  return { ok: false, rejection: cartRejection("ValidationFailed", `${subject}: ${details}.`, fields) };
}
