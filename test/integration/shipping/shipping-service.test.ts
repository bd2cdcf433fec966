import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultShippingNames, startShippingService } from "../../../services/shipping/shipping-service.ts";
import type { ShippingNames, ShippingService } from "../../../services/shipping/shipping-service.ts";
import { createLogger } from "../../../services/platform/logger.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { connectKafkaAdmin } from "../../../services/runtime/kafka-admin.ts";
import { dropSlotWhenReleased } from "../../../services/runtime/replication-slot.ts";
import { readShipments } from "../../../services/shipping/read-shipments.ts";
import { postCommands } from "../../support/cart-api-client.ts";
import { openTestApi } from "../http-api-fixture.ts";
import { connectClient, stack, withPostgres } from "../support/stack.ts";

/**
 * What `cdc-es-lab ship` runs, on designs of their own: checkouts sent through the HTTP API to
 * both designs reach the shipping consumer (design 1 through its outbox connector, design 2
 * through the journal's publisher) and are recorded once each. The CLI command is this service
 * on the default schemas, between a signal and a stop.
 */
let api: Awaited<ReturnType<typeof openTestApi>>;
let names: ShippingNames;
let service: ShippingService | null = null;

beforeAll(async () => {
  api = await openTestApi();
  const base = defaultShippingNames(api.lab.variant.schema, `${api.lab.variant.name}_journal`);
  names = { ...base, shippingSchema: `${api.lab.variant.name}_ship`, groupId: `${api.lab.variant.name}_shipping` };
});

afterAll(async () => {
  await service?.stop();
  await connectClient().deleteConnector(names.outboxConnector);
  await dropSlotWhenReleased(stack().postgresUrl, names.outboxSlot, 30_000);
  await withPostgres(async (client) => {
    await client.query(`DROP PUBLICATION IF EXISTS ${names.outboxPublication}`);
    await client.query(`DROP SCHEMA IF EXISTS ${names.shippingSchema} CASCADE`);
  });
  const admin = await connectKafkaAdmin(stack().kafkaBrokers, createLogger("warn"));
  try {
    await admin.deleteGroups([names.groupId]);
  } finally {
    await admin.close();
  }
  await api?.dispose();
});

describe("the shipping service", () => {
  it("records the checkout of each design once, with its total", async () => {
    service = await startShippingService({ endpoints: stack(), pool: api.lab.designs.pool, names, logger: createLogger("warn"), readyTimeoutMs: 120_000, pollIntervalMs: 200 });
    const commands = [
      { type: "AddItem", cartId: "ship-1", sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 2 },
      { type: "AddItem", cartId: "ship-1", sku: "mango", name: "Mango", unitPriceCents: 200, quantity: 1 },
      { type: "CheckOut", cartId: "ship-1" },
    ];
    for (const design of ["crud", "es"]) expect((await postCommands(api.url, design, { commands, metadata: { actor: "alice" } })).json).toEqual({ results: [{ ok: true }, { ok: true }, { ok: true }] });
    const shipments = await waitFor(
      async () => {
        const found = await readShipments(api.lab.designs.pool, names.shippingSchema, { cartId: "ship-1" });
        return found.length >= 2 ? found : undefined;
      },
      { what: "both checkouts in shipping", timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(shipments.map((shipment) => [shipment.design, shipment.totalCents]).sort()).toEqual([
      ["crud", 400],
      ["es", 400],
    ]);
    expect(await service.counts()).toMatchObject({ recorded: 2, duplicates: 0 });
    await service.stop();
    expect(await service.ended).toBeNull();
    service = null;
  });
});
