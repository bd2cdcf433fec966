import { LabError } from "../platform/errors.ts";

/** The qualified, quoted names of shipping's tables; a schema of their own isolates a run. */
export interface ShippingTables {
  schema: string;
  shipments: string;
  /** Per consumer and partition: the next offset to handle, and what the handled ones did. */
  progress: string;
}

// Spliced into SQL (identifiers cannot be bind parameters), so only plain identifiers pass.
const schemaPattern = /^[a-z_][a-z0-9_]{0,62}$/;

export function shippingTables(schema: string): ShippingTables {
  if (!schemaPattern.test(schema)) {
    throw new LabError("UsageInvalid", `shipping schema name ${JSON.stringify(schema)} must match ${schemaPattern}`, { details: { schema } });
  }
  return { schema, shipments: `"${schema}"."shipments"`, progress: `"${schema}"."shipping_progress"` };
}
