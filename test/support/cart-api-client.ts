import { readFileSync } from "node:fs";
import { request } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A client of the cart HTTP API for tests, wherever the API runs: in the test's process
 * (integration) or in the compose lab's container (docker mode).
 */
const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** examples/seed-cart-101.jsonl, as the body of one request. */
export function seedBatch(): unknown[] {
  return readFileSync(path.join(PROJECT_DIR, "examples", "seed-cart-101.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as unknown);
}

export async function postCommands(url: string, design: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(new URL(`api/designs/${design}/commands`, url), { method: "POST", headers: { "Content-Type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

export async function getJson(url: string, route: string): Promise<{ status: number; json: unknown }> {
  const response = await fetch(new URL(route, url));
  return { status: response.status, json: await response.json() };
}

/** Sends a body of `bytes` bytes and resolves with the answer, even when the server closes before the body is all sent. */
export function postHuge(url: string, bytes: number): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(new URL("api/designs/es/commands", url), { method: "POST", headers: { "Content-Type": "application/json", "Content-Length": String(bytes) } }, (response) => {
      const parts: Buffer[] = [];
      response.on("data", (chunk: Buffer) => parts.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(Buffer.concat(parts).toString("utf8")) }));
    });
    outgoing.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
    });
    const line = Buffer.from(`${JSON.stringify({ type: "AddItem", cartId: "huge", sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 1 })},`);
    const body = Buffer.concat([Buffer.from("["), ...Array.from({ length: Math.ceil(bytes / line.length) }, () => line)]).subarray(0, bytes);
    outgoing.end(body);
  });
}
