import { parseArgs } from "node:util";
import type { ParseArgsConfig } from "node:util";
import { idPattern } from "../cart/index.ts";
import { LabError } from "../platform/errors.ts";

/**
 * The CLI's flags, decoded strictly at the edge: a value the lab would only half understand
 * (a lax date, a hex version, a flag given twice) is a usage error before anything is touched,
 * never a guess that reaches PostgreSQL.
 */

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * `parseArgs` with two more refusals: its own errors (unknown flag, missing value) and a
 * single-value flag given twice (parseArgs keeps the last one silently) are usage errors.
 */
export function parseFlags<O extends Options>(args: string[], options: O, allowPositionals = false) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals, strict: true, tokens: true });
  } catch (error) {
    throw new LabError("UsageInvalid", error instanceof Error ? error.message : String(error));
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== "option") continue;
    if (options[token.name]?.multiple !== true && seen.has(token.name)) throw new LabError("UsageInvalid", `--${token.name} was given more than once`);
    seen.add(token.name);
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

// A date, a time and an explicit offset: without an offset the same text names other instants on other machines.
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-](\d{2}):(\d{2}))$/;
/** 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z: inside both JavaScript's and PostgreSQL's timestamptz range. */
const EARLIEST_MS = -62_135_596_800_000;
const LATEST_MS = 253_402_300_799_999;

/** `--at`: strict ISO-8601 with Z or an offset, a real calendar date, in the range above. Epoch milliseconds. */
export function isoTimeFlag(flag: string, text: string): number {
  const match = ISO_TIME.exec(text);
  const refuse = (why: string) => new LabError("UsageInvalid", `${flag} ${why}, got ${JSON.stringify(text)}`, { hint: "for example 2026-11-30T10:42:00Z or 2026-11-30T11:42:00+01:00" });
  if (match === null) throw refuse("must be an ISO-8601 time with a date, hours and minutes, and Z or an offset (+01:00)");
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? "0")) as [number, number, number, number, number, number];
  const offsetHours = Number(match[9] ?? "0");
  const offsetMinutes = Number(match[10] ?? "0");
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) throw refuse("has a time of day or offset out of range");
  const calendar = new Date(0);
  calendar.setUTCFullYear(year, month - 1, day);
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) throw refuse("is not a date of the calendar");
  const ms = Date.parse(text.replace(/^(\d{4})/, (digits) => `+00${digits}`));
  if (Number.isNaN(ms) || ms < EARLIEST_MS || ms > LATEST_MS) throw refuse("must be between 0001-01-01 and 9999-12-31 (UTC)");
  return ms;
}

/** The largest stream version PostgreSQL's integer column holds. */
export const MAX_VERSION = 2_147_483_647;

/** `--version`: a decimal whole number 0..2^31-1 (no sign, no exponent, no hex, not empty). */
export function versionFlag(flag: string, text: string): number {
  if (!/^\d{1,10}$/.test(text) || Number(text) > MAX_VERSION) {
    throw new LabError("UsageInvalid", `${flag} must be a whole number from 0 to ${MAX_VERSION}, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/** `--seed`: a decimal whole number (a negative one too), exact in a double. */
export function seedFlag(text: string): number {
  if (!/^-?\d{1,15}$/.test(text)) throw new LabError("UsageInvalid", `--seed must be a whole number of at most 15 digits, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** `--cart`: required, and shaped like every cart id the rules accept. */
export function cartFlag(text: string | undefined): string {
  if (text === undefined || text === "") throw new LabError("UsageInvalid", "--cart ID is required");
  if (!idPattern.test(text)) throw new LabError("UsageInvalid", `--cart must match ${idPattern}, got ${JSON.stringify(text)}`);
  return text;
}
