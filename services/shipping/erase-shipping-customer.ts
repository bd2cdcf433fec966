import type { Pool } from "pg";
import { shippingTables } from "./shipping-tables.ts";

/**
 * Shipping's part of forgetting a customer: the shipments keep what was sold and to which
 * customer id (the books need it), and lose the e-mail, name and address. Returns the
 * shipments cleared. The checkout message on the topic still holds the address: a redelivered
 * copy is absorbed as a duplicate, but a shipping store rebuilt from the topic would get it back.
 */
export async function eraseShippingCustomer(pool: Pool, schema: string, customerId: string): Promise<number> {
  const t = shippingTables(schema);
  const result = await pool.query(
    `UPDATE ${t.shipments} SET customer_email = NULL, customer_name = NULL, shipping_address = NULL
     WHERE customer_id = $1 AND (customer_email IS NOT NULL OR customer_name IS NOT NULL OR shipping_address IS NOT NULL)`,
    [customerId],
  );
  return result.rowCount ?? 0;
}
