import { eraseCrudCustomer } from "../../../services/crud-cdc/crud/erase-crud-customer.ts";
import { eraseJournalCustomer } from "../../../services/event-sourced/erase-journal-customer.ts";
import { eraseShippingCustomer } from "../../../services/shipping/erase-shipping-customer.ts";
import { byDesign } from "../../kit/drivers/subject-driver.ts";
import type { SubjectDriver } from "../../kit/drivers/subject-driver.ts";
import type { CheckoutPipeline } from "./checkout-pipeline.ts";

/** What one erase did, as the design's own operation reports it: rows, keys, snapshots. */
export type ErasureReport = Record<string, number>;

/**
 * The shop's erase procedure for one customer, as each design does it best: the CRUD tables
 * clear the customer's personal columns and delete their outbox rows in one transaction; the
 * journal deletes the customer's key (and any snapshot in clear). Then shipping clears the
 * shipments it keeps. Kafka's topics are not touched: no design has an operation for that, and
 * what they still hold is what the scan measures.
 */
export async function eraseCustomer(driver: SubjectDriver, pipeline: CheckoutPipeline, customerId: string, at: string): Promise<ErasureReport> {
  const own = await byDesign<Promise<ErasureReport>>(driver, {
    es: async (journal) => ({ ...(await eraseJournalCustomer(journal.pool, journal.names.journalSchema, customerId)) }),
    crud: async (tables) => ({ ...(await eraseCrudCustomer(tables.knex, tables.names.crudSchema, customerId, at)) }),
    cdc: async (tables) => ({ ...(await eraseCrudCustomer(tables.knex, tables.names.crudSchema, customerId, at)) }),
  });
  const shipments = await eraseShippingCustomer(driver.pool, pipeline.shippingSchema, customerId);
  return { ...own, shipments };
}
