import { describe, expect, it } from "vitest";
import { asOfParams, cartIdParam, designParam, queryParams } from "../../../services/http-api/request-params.ts";

describe("path and query parameters", () => {
  it("decodes a cart id and holds it to the rules' id shape", () => {
    expect(cartIdParam("cart-101")).toEqual({ ok: true, value: "cart-101" });
    expect(cartIdParam("cart%2D101")).toEqual({ ok: true, value: "cart-101" });
    for (const raw of ["a%2Fb", "%E0%A4%A", "-x", "a b", "x".repeat(65)]) {
      expect(cartIdParam(raw), raw).toMatchObject({ ok: false, error: { status: 400, code: "ValidationFailed", fields: [{ field: "cartId" }] } });
    }
  });

  it("says a design the route does not have is not found", () => {
    expect(designParam("es", ["crud", "es"], "takes commands")).toEqual({ ok: true, value: "es" });
    expect(designParam("cdc", ["crud", "es"], "takes commands")).toMatchObject({ ok: false, error: { status: 404, code: "NotFound" } });
  });

  it("refuses unknown and repeated query parameters", () => {
    expect(queryParams(new URLSearchParams("at=x"), ["at", "version"])).toMatchObject({ ok: true });
    expect(queryParams(new URLSearchParams("verison=2"), ["at", "version"])).toMatchObject({ ok: false, error: { status: 400, fields: [{ field: "verison" }] } });
    expect(queryParams(new URLSearchParams("version=1&version=2"), ["at", "version"])).toMatchObject({ ok: false, error: { status: 400, fields: [{ field: "version", message: "was given more than once" }] } });
    expect(queryParams(new URLSearchParams("x=1"), [])).toMatchObject({ ok: false, error: { status: 400 } });
  });

  it("reads at and version exactly as the CLI's --at and --version", () => {
    const query = (text: string) => queryParams(new URLSearchParams(text), ["at", "version"]);
    const asOf = (text: string) => {
      const parsed = query(text);
      if (!parsed.ok) throw new Error("query refused");
      return asOfParams(parsed.value);
    };
    expect(asOf("")).toEqual({ ok: true, value: null });
    expect(asOf("at=2026-11-30T11:42:00%2B01:00")).toEqual({ ok: true, value: { at: "2026-11-30T10:42:00.000Z" } });
    expect(asOf("version=3")).toEqual({ ok: true, value: { version: 3 } });
    for (const bad of ["at=2026-11-30T10:42:00", "at=2024-02-30T00:00:00Z", "at=", "version=-1", "version=0x3", "version=2147483648", "version=", "at=2026-11-30T10:42:00Z&version=1"]) {
      expect(asOf(bad), bad).toMatchObject({ ok: false, error: { status: 400, code: "ValidationFailed" } });
    }
    const refused = asOf("version=abc");
    expect(refused.ok ? "" : refused.error.fields?.[0]).toEqual({ field: "version", message: 'must be a whole number from 0 to 2147483647, got "abc"' });
  });
});
