import { parseCommand, parseMetadata } from "../cart/index.ts";
import type { CartRejection, FieldError } from "../cart/index.ts";
import { describeError } from "../platform/errors.ts";
import { apiError } from "./api-error.ts";
import type { Decoded } from "./request-params.ts";

/**
 * The body of `POST /api/designs/{design}/commands`, decoded and validated as a whole before
 * anything is applied: one bad command refuses the batch (400, nothing written), so a client
 * never has to work out which half of its request went through. Each command is checked by the
 * cart's own validator (`parseCommand`, `parseMetadata`), the one `applyRaw` runs again when it
 * applies it: there is no second set of rules here, only the envelope around them.
 *
 * Accepted shapes, as `apply` reads its lines:
 *   [ cmd | {command, metadata?}, ... ]
 *   {"commands": [ ... ], "metadata": {actor, reason?, correlationId?}}   (default metadata)
 */
export interface BatchItem {
  /** Raw, as sent: `applyRaw` decodes it again, with the handler's clock. */
  command: unknown;
  metadata: unknown;
}

/** Who a command is from when the request does not say. */
export const DEFAULT_ACTOR = "http-api";
/** Bounds the time one request holds the server, beside the body's byte limit. */
export const MAX_COMMANDS_PER_REQUEST = 1_000;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function shapeError(message: string, field = "body"): { ok: false; error: ReturnType<typeof apiError> } {
  return { ok: false, error: apiError(400, "ValidationFailed", message, { fields: [{ field, message }] }) };
}

export function parseCommandBatch(text: string): Decoded<BatchItem[]> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return shapeError(`the body is not JSON: ${describeError(error)}`);
  }
  let list: unknown;
  let defaultMetadata: unknown = { actor: DEFAULT_ACTOR };
  if (Array.isArray(body)) {
    list = body;
  } else if (isPlainObject(body) && Object.hasOwn(body, "commands")) {
    const extra = Object.keys(body).filter((key) => key !== "commands" && key !== "metadata");
    if (extra.length > 0) return shapeError(`the body has unknown fields: ${extra.join(", ")}`, extra[0]);
    list = body["commands"];
    if (body["metadata"] !== undefined) defaultMetadata = body["metadata"];
  } else {
    return shapeError('the body must be a JSON array of commands, or {"commands": [...], "metadata": {...}}');
  }
  if (!Array.isArray(list)) return shapeError("must be a JSON array of commands", "commands");
  if (list.length > MAX_COMMANDS_PER_REQUEST) return shapeError(`must hold at most ${MAX_COMMANDS_PER_REQUEST} commands, got ${list.length}`, "commands");

  const items: BatchItem[] = [];
  const fields: FieldError[] = [];
  const rejected: { index: number; code: CartRejection["code"]; message: string }[] = [];
  for (const [index, entry] of list.entries()) {
    const at = `commands.${index}`;
    let item: BatchItem;
    if (isPlainObject(entry) && Object.hasOwn(entry, "command")) {
      const extra = Object.keys(entry).filter((key) => key !== "command" && key !== "metadata");
      if (extra.length > 0) {
        const message = `has unknown fields: ${extra.join(", ")} (an envelope is {command, metadata})`;
        fields.push({ field: at, message });
        rejected.push({ index, code: "ValidationFailed", message: `${at} ${message}` });
        continue;
      }
      item = { command: entry["command"], metadata: entry["metadata"] ?? defaultMetadata };
    } else {
      item = { command: entry, metadata: defaultMetadata };
    }
    const problem = rejectionOf(item);
    if (problem === null) {
      items.push(item);
      continue;
    }
    rejected.push({ index, code: problem.code, message: problem.message });
    for (const field of problem.fields ?? [{ field: "", message: problem.message }]) {
      fields.push({ field: field.field === "" ? at : `${at}.${field.field}`, message: field.message });
    }
  }
  if (rejected.length > 0) {
    const summary = rejected.map((entry) => `commands.${entry.index}: ${entry.message}`).join(" ");
    return {
      ok: false,
      error: apiError(400, "ValidationFailed", `${rejected.length} of ${list.length} commands are invalid; nothing was applied. ${summary}`, { fields, details: { rejected } }),
    };
  }
  return { ok: true, value: items };
}

/** The cart validator's verdict on one command and its metadata; null when both pass. */
function rejectionOf(item: BatchItem): CartRejection | null {
  const command = parseCommand(item.command);
  if (!command.ok) return command.rejection;
  const metadata = parseMetadata(item.metadata);
  return metadata.ok ? null : metadata.rejection;
}
