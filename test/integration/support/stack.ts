import { inject } from "vitest";
import pg from "pg";
import { createHttpConnectClient } from "../../../services/runtime/connect-client.ts";
import type { StackEndpoints } from "../../../services/runtime/runtime.ts";

export function stack(): StackEndpoints {
  return inject("stack");
}

export async function withPostgres<T>(work: (client: pg.Client) => Promise<T>, url = stack().postgresUrl): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function connectClient() {
  return createHttpConnectClient(stack().connectUrl);
}
