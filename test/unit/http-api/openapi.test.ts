import { describe, expect, it } from "vitest";
import { openApiDocument } from "../../../services/http-api/openapi.ts";
import { ROUTES } from "../../../services/http-api/routes.ts";

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

function documented(): string[] {
  const operations: string[] = [];
  for (const [path, item] of Object.entries(openApiDocument.paths)) {
    for (const method of Object.keys(item)) if (METHODS.includes(method)) operations.push(`${method.toUpperCase()} ${path}`);
  }
  return operations.sort();
}

function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refs(item, found);
  else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string") found.push(item);
      else refs(item, found);
    }
  }
  return found;
}

describe("the OpenAPI description", () => {
  it("is OpenAPI 3.1", () => {
    expect(openApiDocument.openapi).toBe("3.1.0");
  });

  it("describes every route the router knows, and no other", () => {
    expect(documented()).toEqual(ROUTES.map((route) => `${route.method} ${route.template}`).sort());
  });

  it("names each path parameter of a route among its parameters", () => {
    for (const route of ROUTES) {
      const operation = (openApiDocument.paths as Record<string, Record<string, { parameters?: readonly { name: string; in: string }[] }>>)[route.template]?.[route.method.toLowerCase()];
      const inPath = [...route.template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const declared = (operation?.parameters ?? []).filter((parameter) => parameter.in === "path").map((parameter) => parameter.name);
      expect(declared.sort(), route.template).toEqual(inPath.sort());
    }
  });

  it("resolves every $ref to a schema it defines", () => {
    const schemas = Object.keys(openApiDocument.components.schemas);
    const all = refs(openApiDocument);
    expect(all.length).toBeGreaterThan(10);
    for (const ref of all) expect(schemas, ref).toContain(ref.replace("#/components/schemas/", ""));
  });

  it("documents the error statuses of the commands route", () => {
    expect(Object.keys(openApiDocument.paths["/api/designs/{design}/commands"].post.responses).sort()).toEqual(["200", "400", "404", "405", "413", "415", "500", "503"]);
  });
});
