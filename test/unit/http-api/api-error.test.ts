import { describe, expect, it } from "vitest";
import { crudHasNoPast } from "../../../services/designs/cart-designs.ts";
import { errorBody, fromFailure } from "../../../services/http-api/api-error.ts";
import { LabError } from "../../../services/platform/errors.ts";

describe("a failure as the client sees it", () => {
  it.each([
    ["NotRunning", 503],
    ["ComponentFailed", 503],
    ["Timeout", 503],
    ["Unsupported", 422],
    ["UsageInvalid", 400],
    ["DecodeFailed", 500],
    ["ConfigInvalid", 500],
  ] as const)("maps LabError %s to %i with its code", (code, status) => {
    expect(fromFailure(new LabError(code, "what happened"))).toMatchObject({ status, code, message: "what happened" });
  });

  it("keeps the hint of the CRUD design's Unsupported", () => {
    const failure = fromFailure(crudHasNoPast());
    expect(errorBody(failure)).toEqual({ error: { code: "Unsupported", message: expect.stringContaining("keep only the present"), details: { hint: expect.stringContaining("--design cdc") } } });
  });

  it("never shows the message or stack of an error that is not the lab's", () => {
    const secret = new Error("password authentication failed for user lab at 10.0.0.7");
    const body = JSON.stringify(errorBody(fromFailure(secret)));
    expect(JSON.parse(body)).toEqual({ error: { code: "ComponentFailed", message: "the server failed unexpectedly; its log says why" } });
    expect(body).not.toContain("password");
    expect(body).not.toContain("at ");
  });
});
