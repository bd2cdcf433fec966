import { apiError } from "./api-error.ts";
import type { ApiError } from "./api-error.ts";

/**
 * Every route the API answers, in one table: the router matches against it and the OpenAPI
 * description is checked against it (test/unit/http-api/openapi.test.ts), so the two cannot
 * drift. Templates use OpenAPI's `{name}` for a path segment.
 */
export const ROUTES = [
  { name: "page", method: "GET", template: "/" },
  { name: "openapi", method: "GET", template: "/api/openapi.json" },
  { name: "health", method: "GET", template: "/api/health" },
  { name: "commands", method: "POST", template: "/api/designs/{design}/commands" },
  { name: "state", method: "GET", template: "/api/designs/{design}/carts/{cartId}" },
  { name: "history", method: "GET", template: "/api/designs/{design}/carts/{cartId}/history" },
  { name: "audit", method: "GET", template: "/api/designs/{design}/carts/{cartId}/audit" },
  { name: "live", method: "GET", template: "/api/carts/{cartId}/live" },
] as const;

export type Route = (typeof ROUTES)[number];
export type RouteName = Route["name"];

export type RouteMatch = { ok: true; route: Route; params: Record<string, string> } | { ok: false; error: ApiError };

/** Splits a path into raw segments; `/` is no segments. A trailing slash is a different path. */
function segments(path: string): string[] {
  return path === "/" ? [] : path.slice(1).split("/");
}

function matchTemplate(template: string, path: string): Record<string, string> | null {
  const wanted = segments(template);
  const given = segments(path);
  if (wanted.length !== given.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of wanted.entries()) {
    const actual = given[index] as string;
    if (part.startsWith("{")) {
      if (actual === "") return null;
      params[part.slice(1, -1)] = actual;
    } else if (part !== actual) {
      return null;
    }
  }
  return params;
}

/**
 * The route for a method and a path (still percent-encoded: a `%2F` in a cart id stays inside
 * its segment). A path some route has but not with this method is 405 with `Allow`; a path no
 * route has is 404.
 */
export function matchRoute(method: string, path: string): RouteMatch {
  const allowed: string[] = [];
  for (const route of ROUTES) {
    const params = matchTemplate(route.template, path);
    if (params === null) continue;
    if (route.method === method) return { ok: true, route, params };
    allowed.push(route.method);
  }
  if (allowed.length > 0) {
    const allow = [...new Set(allowed)].join(", ");
    return { ok: false, error: apiError(405, "MethodNotAllowed", `${method} is not allowed on ${path}; allowed: ${allow}`, { headers: { Allow: allow }, details: { allowed: [...new Set(allowed)] } }) };
  }
  return { ok: false, error: apiError(404, "NotFound", `no route ${path}; GET /api/openapi.json lists every route`) };
}
