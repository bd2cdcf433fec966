import type { CartCommand, CommandMetadata } from "./commands.ts";
import type { CartErrorCode, CartRejection } from "./rejection.ts";
import { parseCommand, parseMetadata } from "./validate-command.ts";

/** The result line of `apply` (brief section 6), the same for both designs. */
export type CartCommandResult = { ok: true } | { ok: false; error: { code: CartErrorCode; message: string } };

export function rejectedResult(rejection: CartRejection): CartCommandResult {
  return { ok: false, error: { code: rejection.code, message: rejection.message } };
}

export type ParsedCommandInput = { ok: true; command: CartCommand; metadata: CommandMetadata } | { ok: false; result: CartCommandResult };

/**
 * A raw command and its raw metadata, validated at the edge the same way for both designs. Time
 * and the fallback correlation id come in, so this stays pure.
 */
export function parseCommandInput(input: unknown, rawMetadata: unknown, decidedAt: string, newCorrelationId: () => string): ParsedCommandInput {
  const parsed = parseCommand(input);
  if (!parsed.ok) return { ok: false, result: rejectedResult(parsed.rejection) };
  const meta = parseMetadata(rawMetadata);
  if (!meta.ok) return { ok: false, result: rejectedResult(meta.rejection) };
  return {
    ok: true,
    command: parsed.command,
    metadata: { actor: meta.metadata.actor, reason: meta.metadata.reason, correlationId: meta.metadata.correlationId ?? newCorrelationId(), decidedAt },
  };
}
