import { describe, expect, it } from "vitest";
import { matchRoute } from "../../../services/http-api/routes.ts";

describe("the router", () => {
  it("matches each route and names its path parameters", () => {
    const state = matchRoute("GET", "/api/designs/es/carts/101");
    expect(state).toMatchObject({ ok: true, route: { name: "state" }, params: { design: "es", cartId: "101" } });
    expect(matchRoute("GET", "/api/designs/cdc/carts/101/history")).toMatchObject({ ok: true, route: { name: "history" }, params: { design: "cdc", cartId: "101" } });
    expect(matchRoute("GET", "/api/designs/es/carts/101/audit")).toMatchObject({ ok: true, route: { name: "audit" } });
    expect(matchRoute("POST", "/api/designs/crud/commands")).toMatchObject({ ok: true, route: { name: "commands" }, params: { design: "crud" } });
    expect(matchRoute("GET", "/api/carts/101/live")).toMatchObject({ ok: true, route: { name: "live" }, params: { cartId: "101" } });
    expect(matchRoute("GET", "/")).toMatchObject({ ok: true, route: { name: "page" } });
    expect(matchRoute("GET", "/api/openapi.json")).toMatchObject({ ok: true, route: { name: "openapi" } });
  });

  it("keeps a percent-encoded slash inside its segment: the cart id is decoded later, not split", () => {
    expect(matchRoute("GET", "/api/designs/es/carts/a%2Fb")).toMatchObject({ ok: true, params: { cartId: "a%2Fb" } });
  });

  it("answers 405 with the allowed methods for a known path and a wrong method", () => {
    const result = matchRoute("GET", "/api/designs/es/commands");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ status: 405, code: "MethodNotAllowed", headers: { Allow: "POST" } });
    expect(matchRoute("DELETE", "/api/designs/es/carts/101")).toMatchObject({ ok: false, error: { status: 405, headers: { Allow: "GET" } } });
  });

  it.each(["/api", "/api/", "/api/designs/es/carts/101/", "/api/designs/es/carts//history", "/index.html", "/api/designs/es/carts/101/history/x", ""])("answers 404 NotFound for %j", (path) => {
    expect(matchRoute("GET", path)).toMatchObject({ ok: false, error: { status: 404, code: "NotFound" } });
  });
});
