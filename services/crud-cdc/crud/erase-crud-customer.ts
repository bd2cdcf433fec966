import type { Knex } from "knex";
import { crudTableNames, crudTables } from "./crud-tables.ts";

export interface CrudCustomerErasure {
  /** Carts whose personal columns were cleared. */
  carts: number;
  /** Outbox rows deleted because their checkout payload named the customer. */
  outboxRows: number;
}

/**
 * How a CRUD application forgets a customer: one transaction clears the personal columns of
 * every cart of theirs (the customer id stays, a pseudonym that keeps sales countable) and
 * deletes the outbox rows whose payload carries them. Rows changed in place are all the tables
 * know, so afterwards the tables hold nothing of the customer. What Debezium already copied to
 * Kafka, or shipping to its store, is outside this transaction: those are other places.
 * The outbox rows are deleted, not updated: the Outbox Event Router refuses an update (it would
 * be a second event) and ignores a delete.
 */
export async function eraseCrudCustomer(knex: Knex, schema: string, customerId: string, at: string): Promise<CrudCustomerErasure> {
  const { schema: checked } = crudTables(schema);
  return knex.transaction(async (trx) => {
    const carts: unknown[] = await trx
      .withSchema(checked)
      .table(crudTableNames.carts)
      .update({ customer_email: null, customer_name: null, shipping_address: null, updated_at: at })
      .where({ customer_id: customerId })
      .whereNotNull("customer_email")
      .returning("cart_id");
    const outboxRows = await trx
      .withSchema(checked)
      .table(crudTableNames.outbox)
      .whereRaw("payload -> 'customer' ->> 'customerId' = ?", [customerId])
      .delete();
    return { carts: carts.length, outboxRows };
  });
}
