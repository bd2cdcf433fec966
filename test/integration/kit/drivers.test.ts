import { afterAll, describe, expect, it } from "vitest";
import { byDesign } from "../../../scenarios/kit/drivers/subject-driver.ts";
import type { SubjectDriver } from "../../../scenarios/kit/drivers/subject-driver.ts";
import { openDriver } from "../../../scenarios/kit/drivers/open-driver.ts";
import { SUBJECTS } from "../../../scenarios/model/subjects.ts";
import type { SubjectId } from "../../../scenarios/model/subjects.ts";
import { createLogger } from "../../../services/platform/logger.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { seedCommands, seedView } from "../../support/cart-commands.ts";
import { connectClient, stack, withPostgres } from "../support/stack.ts";
import { uniqueName } from "../support/test-lab.ts";

/**
 * The drivers scenarios talk to: each opens its design under the name it is given, answers the
 * seed cart's contract, and leaves nothing behind when disposed.
 */
const context = () => ({ endpoints: stack(), logger: createLogger("warn"), readyTimeoutMs: 120_000 });
const opened: SubjectDriver[] = [];

async function open(id: SubjectId): Promise<SubjectDriver> {
  const driver = await openDriver(context(), SUBJECTS[id], uniqueName("drv"));
  opened.push(driver);
  return driver;
}

afterAll(async () => {
  for (const driver of opened) await driver.dispose();
});

async function applySeed(driver: SubjectDriver, cartId: string): Promise<void> {
  for (const command of seedCommands(cartId)) expect(await driver.apply(command, { actor: "alice" })).toEqual({ ok: true });
}

async function schemaExists(schema: string): Promise<boolean> {
  return withPostgres(async (client) => (await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema])).rowCount === 1);
}

describe.each(["es", "crud", "cdc-tuned"] as const)("the %s driver", (id) => {
  it("runs the seed cart to its contract state", async () => {
    const driver = await open(id);
    expect(driver.spec.id).toBe(id);
    await applySeed(driver, "101");
    expect(await driver.current("101")).toEqual(seedView("101"));
  });
});

describe("design-specific answers", () => {
  it("byDesign picks the subject's own entry", async () => {
    const driver = await open("crud");
    if (driver.design !== "crud") throw new Error("crud is a CRUD subject");
    expect(byDesign(driver, { es: () => "journal", crud: (tables) => tables.names.crudSchema, cdc: () => "topics" })).toBe(driver.names.crudSchema);
  });

  it("the journal answers the past and keeps its read model", async () => {
    const driver = await open("es");
    if (driver.design !== "es") throw new Error("es is a journal subject");
    await applySeed(driver, "101");
    expect((await driver.stateAt("101", { version: 1 }))?.items).toEqual([{ sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 1 }]);
    await driver.projection.catchUp();
    expect(await driver.readModelView("101")).toEqual(seedView("101"));
    expect((await driver.history("101")).map((entry) => entry.type)).toContain("CheckedOut");
  });

  it("the tuned CDC driver streams the cart, with its knobs on the connector Debezium runs", async () => {
    const driver = await open("cdc-tuned");
    if (driver.design !== "cdc") throw new Error("cdc-tuned is a CDC subject");
    await applySeed(driver, "202");
    const view = await waitFor(async () => {
      const current = await driver.stateAt("202", { version: 7 });
      return JSON.stringify(current) === JSON.stringify(seedView("202")) ? current : undefined;
    }, { what: "cart 202 on the topics", timeoutMs: 60_000, intervalMs: 500 });
    expect(view).toEqual(seedView("202"));
    // The knobs reached the connector Debezium runs, not just the spec.
    const config = (await (await fetch(`${stack().connectUrl}/connectors/${driver.names.connector}/config`)).json()) as Record<string, string>;
    expect(config["provide.transaction.metadata"]).toBe("true");
    expect(config["poll.interval.ms"]).toBe("10");
  });

  it("a late CDC subject streams nothing until its connector starts", async () => {
    const driver = await open("cdc-late");
    if (driver.design !== "cdc") throw new Error("cdc-late is a CDC subject");
    expect(await connectClient().connectorStatus(driver.names.connector)).toBeNull();
    await driver.startConnector();
    expect((await connectClient().connectorStatus(driver.names.connector))?.connector.state).toBe("RUNNING");
  });

  it("dispose removes the schema, connector, slot and publication it created", async () => {
    const driver = await open("cdc-plain");
    if (driver.design !== "cdc") throw new Error("cdc-plain is a CDC subject");
    const { crudSchema, connector, slot, publication } = driver.names;
    expect(await schemaExists(crudSchema)).toBe(true);
    expect(await driver.dispose()).toEqual([]);
    opened.splice(opened.indexOf(driver), 1);
    expect(await schemaExists(crudSchema)).toBe(false);
    expect(await connectClient().connectorStatus(connector)).toBeNull();
    await withPostgres(async (client) => {
      expect((await client.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = $1", [slot])).rowCount).toBe(0);
      expect((await client.query("SELECT 1 FROM pg_publication WHERE pubname = $1", [publication])).rowCount).toBe(0);
    });
  });
});
