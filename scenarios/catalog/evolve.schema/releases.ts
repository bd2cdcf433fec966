import type { Knex } from "knex";
import { toCartView } from "../../../services/cart/index.ts";
import type { CartCommandResult, CartView } from "../../../services/cart/index.ts";
import { centsPriceColumns, decimalPriceColumns, dualWritePriceColumns } from "../../../services/crud-cdc/crud/crud-cart-rows.ts";
import type { CrudPriceColumns } from "../../../services/crud-cdc/crud/crud-cart-rows.ts";
import { createCrudCartHandler } from "../../../services/crud-cdc/crud/crud-command-handler.ts";
import { readCrudCart } from "../../../services/crud-cdc/crud/read-crud-state.ts";
import { createCartEventCodec, decimalPriceRelease } from "../../../services/event-sourced/cart-event-codec.ts";
import { createDecimalPriceUpcasters } from "../../../services/event-sourced/cart-upcasters.ts";
import { createEventSourcedCartHandler } from "../../../services/event-sourced/event-sourced-cart-handler.ts";
import type { EventJournal } from "../../../services/event-sourced/event-journal.ts";
import { loadCart } from "../../../services/event-sourced/load-cart.ts";
import { createPostgresEventJournal } from "../../../services/event-sourced/postgres-event-journal.ts";
import type { Logger } from "../../../services/platform/logger.ts";
import { byDesign } from "../../kit/drivers/subject-driver.ts";
import type { EsDriver, SubjectDriver } from "../../kit/drivers/subject-driver.ts";

/**
 * The application a subject runs at one point of the change: a deploy is a new process with new
 * code over the same database, so a release is a handler (and its read of the current state)
 * built over the driver's pool. The driver itself runs the release the subject opened with.
 */
export interface RunningRelease {
  name: string;
  apply(command: unknown, metadata: unknown): Promise<CartCommandResult>;
  current(cartId: string): Promise<CartView | null>;
}

/** The release the subject opened with: today's code (for the journal, the release that reads both shapes and writes the old one). */
export function openingRelease(driver: SubjectDriver): RunningRelease {
  return { name: "opening", apply: (command, metadata) => driver.apply(command, metadata), current: (cartId) => driver.current(cartId) };
}

/** A journal over the subject's own events that reads with the decimal-price release's upcaster chain. */
export function decimalPriceJournal(es: EsDriver): EventJournal {
  return createPostgresEventJournal({ pool: es.pool, schema: es.names.journalSchema, upcasters: createDecimalPriceUpcasters(), personalData: es.spec.journal.personalData });
}

function decimalPriceEsRelease(es: EsDriver, logger: Logger): RunningRelease {
  const journal = decimalPriceJournal(es);
  const handler = createEventSourcedCartHandler({
    journal,
    snapshots: es.snapshots,
    logger,
    snapshotEvery: es.spec.journal.snapshotEvery,
    codec: createCartEventCodec(decimalPriceRelease),
  });
  return {
    name: "decimal-price",
    apply: (command, metadata) => handler.applyRaw(command, metadata),
    current: async (cartId) => toCartView((await loadCart({ journal, snapshots: es.snapshots }, cartId)).state),
  };
}

function crudRelease(name: string, tables: { knex: Knex; schema: string; mode: "locked" | "naive"; intent: "off" | "logical-message" }, prices: CrudPriceColumns): RunningRelease {
  const handler = createCrudCartHandler({ knex: tables.knex, schema: tables.schema, mode: tables.mode, intent: tables.intent, prices });
  return {
    name,
    apply: (command, metadata) => handler.applyRaw(command, metadata),
    current: (cartId) => readCrudCart(tables.knex, tables.schema, cartId, { prices }),
  };
}

/**
 * The release deployed once the change begins. The journal: the decimal-price release (writes
 * ItemAdded v3 / PriceCorrected v2). The tables: the expand release, writing both price columns
 * and still reading the old one until the backfill is done.
 */
export function transitionRelease(driver: SubjectDriver, logger: Logger): RunningRelease {
  return byDesign(driver, {
    es: (es) => decimalPriceEsRelease(es, logger),
    crud: (crud) => crudRelease("dual-write", { knex: crud.knex, schema: crud.names.crudSchema, mode: crud.spec.crud.mode, intent: "off" }, dualWritePriceColumns),
    cdc: (cdc) =>
      crudRelease("dual-write", { knex: cdc.knex, schema: cdc.names.crudSchema, mode: cdc.spec.crud.mode, intent: cdc.spec.cdc.intent ? "logical-message" : "off" }, dualWritePriceColumns),
  });
}

/**
 * The release that runs after the change: the journal keeps the decimal-price release (the
 * events need no contract step, history stays as it was); the tables get the release that reads
 * and writes `unit_price` only, deployed after the backfill and before the old column is dropped.
 */
export function finalRelease(driver: SubjectDriver, transition: RunningRelease): RunningRelease {
  return byDesign(driver, {
    es: () => transition,
    crud: (crud) => crudRelease("decimal", { knex: crud.knex, schema: crud.names.crudSchema, mode: crud.spec.crud.mode, intent: "off" }, decimalPriceColumns),
    cdc: (cdc) => crudRelease("decimal", { knex: cdc.knex, schema: cdc.names.crudSchema, mode: cdc.spec.crud.mode, intent: cdc.spec.cdc.intent ? "logical-message" : "off" }, decimalPriceColumns),
  });
}

/** The three CRUD releases over tables a scenario made itself (the naive variants): cents only, both columns, decimal only. */
export function crudReleasesOn(knex: Knex, schema: string): { cents: RunningRelease; dual: RunningRelease; decimal: RunningRelease } {
  const tables = { knex, schema, mode: "locked", intent: "off" } as const;
  return {
    cents: crudRelease("cents", tables, centsPriceColumns),
    dual: crudRelease("dual-write", tables, dualWritePriceColumns),
    decimal: crudRelease("decimal", tables, decimalPriceColumns),
  };
}
