import { LabError } from "../platform/errors.ts";

/**
 * Where a global reader stands: the writing transaction and the position of the last event it
 * handled. Both parts are needed: events are read in (transactionId, globalPosition) order, and
 * a transaction that took low positions may be read after one that took higher ones.
 * Decimal strings, not numbers: `xid8` and `bigint` exceed 2^53, and the value stays JSON.
 */
export interface GlobalCheckpoint {
  transactionId: string;
  globalPosition: string;
}

const decimal = /^(0|[1-9][0-9]*)$/;

export function initialCheckpoint(): GlobalCheckpoint {
  return { transactionId: "0", globalPosition: "0" };
}

export function checkpoint(transactionId: string, globalPosition: string): GlobalCheckpoint {
  for (const [field, value] of [
    ["transactionId", transactionId],
    ["globalPosition", globalPosition],
  ] as const) {
    if (!decimal.test(value)) {
      throw new LabError("DecodeFailed", `checkpoint ${field} must be a non-negative decimal integer, got ${JSON.stringify(value)}`, {
        details: { field, value },
      });
    }
  }
  return { transactionId, globalPosition };
}

/** Negative, zero or positive as `a` is before, at or after `b` in global read order. */
export function compareCheckpoints(a: GlobalCheckpoint, b: GlobalCheckpoint): number {
  return compareDecimals(a.transactionId, b.transactionId) || compareDecimals(a.globalPosition, b.globalPosition);
}

export function isSameCheckpoint(a: GlobalCheckpoint, b: GlobalCheckpoint): boolean {
  return compareCheckpoints(a, b) === 0;
}

/** `txid:position`, the form the CLI prints and accepts. */
export function formatCheckpoint(value: GlobalCheckpoint): string {
  return `${value.transactionId}:${value.globalPosition}`;
}

export function parseCheckpoint(text: string): GlobalCheckpoint {
  const parts = text.split(":");
  if (parts.length !== 2 || parts[0] === undefined || parts[1] === undefined) {
    throw new LabError("DecodeFailed", `checkpoint must read <transactionId>:<globalPosition>, got ${JSON.stringify(text)}`, {
      details: { text },
    });
  }
  return checkpoint(parts[0], parts[1]);
}

function compareDecimals(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  if (difference < 0n) return -1;
  if (difference > 0n) return 1;
  return 0;
}
