import { idPattern } from "../cart/index.ts";
import { isoTimeFlag, versionFlag } from "../cli/cli-flags.ts";
import type { AsOf } from "../designs/cart-designs.ts";
import { describeError } from "../platform/errors.ts";
import { apiError } from "./api-error.ts";
import type { ApiError } from "./api-error.ts";

/**
 * Path and query parameters, decoded at the edge with the CLI's own rules (`--at`, `--version`,
 * `--cart` are the same questions): what passes is trusted past here, what does not is a 400
 * naming the parameter.
 */
export type Decoded<T> = { ok: true; value: T } | { ok: false; error: ApiError };

function invalid(field: string, message: string): { ok: false; error: ApiError } {
  return { ok: false, error: apiError(400, "ValidationFailed", `${field} ${message}`, { fields: [{ field, message }] }) };
}

/** A design named in the path; one the route does not have is a resource that does not exist. */
export function designParam<T extends string>(raw: string, allowed: readonly T[], what: string): Decoded<T> {
  if ((allowed as readonly string[]).includes(raw)) return { ok: true, value: raw as T };
  return { ok: false, error: apiError(404, "NotFound", `no design ${JSON.stringify(raw)} ${what}; one of ${allowed.join(", ")}`) };
}

export function cartIdParam(raw: string): Decoded<string> {
  let cartId: string;
  try {
    cartId = decodeURIComponent(raw);
  } catch (error) {
    return invalid("cartId", `is not valid percent-encoding (${describeError(error)})`);
  }
  if (!idPattern.test(cartId)) return invalid("cartId", "must be 1-64 letters, digits, '_' or '-', starting with a letter or digit");
  return { ok: true, value: cartId };
}

/** Refuses query parameters the route does not take, and any given twice: never a silent guess. */
export function queryParams(search: URLSearchParams, allowed: readonly string[]): Decoded<Map<string, string>> {
  const values = new Map<string, string>();
  for (const [key, value] of search) {
    if (!allowed.includes(key)) {
      return invalid(key, allowed.length === 0 ? "is not a parameter of this route (it takes none)" : `is not a parameter of this route (it takes ${allowed.join(", ")})`);
    }
    if (values.has(key)) return invalid(key, "was given more than once");
    values.set(key, value);
  }
  return { ok: true, value: values };
}

/** `?at=ISO-TIME` or `?version=N` (not both), exactly as `state --at/--version` read them. */
export function asOfParams(query: Map<string, string>): Decoded<AsOf> {
  const at = query.get("at");
  const version = query.get("version");
  if (at !== undefined && version !== undefined) return invalid("at", "and version cannot both be given");
  try {
    if (at !== undefined) return { ok: true, value: { at: new Date(isoTimeFlag("at", at)).toISOString() } };
    if (version !== undefined) return { ok: true, value: { version: versionFlag("version", version) } };
  } catch (error) {
    // The flag checks throw a UsageInvalid LabError; here that is the request's fault, a 400.
    return invalid(at !== undefined ? "at" : "version", describeError(error).replace(/^(at|version) /, ""));
  }
  return { ok: true, value: null };
}
