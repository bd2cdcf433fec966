import { LabError } from "../../platform/errors.ts";

/** Table names of design 1, as knex's `withSchema(schema).from(...)` takes them. */
export const crudTableNames = {
  carts: "carts",
  cartItems: "cart_items",
  cartDiscounts: "cart_discounts",
  outbox: "outbox",
} as const;

/** The three tables that hold a cart's state; the outbox is a queue, not state. */
export const crudStateTables = [crudTableNames.carts, crudTableNames.cartItems, crudTableNames.cartDiscounts] as const;

export interface CrudTables {
  schema: string;
  /** Quoted `"schema"."table"` names, for the DDL that knex's builder cannot express. */
  carts: string;
  cartItems: string;
  cartDiscounts: string;
  outbox: string;
}

// Plain identifiers only: the name is spliced into DDL, and Debezium's table.include.list takes
// it as a regular expression, where anything fancier would need escaping of its own.
const schemaPattern = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function crudTables(schema: string): CrudTables {
  if (!schemaPattern.test(schema)) {
    throw new LabError("UsageInvalid", `CRUD schema name ${JSON.stringify(schema)} must match ${schemaPattern}`, {
      details: { schema },
    });
  }
  const qualified = (table: string): string => `"${schema}"."${table}"`;
  return {
    schema,
    carts: qualified(crudTableNames.carts),
    cartItems: qualified(crudTableNames.cartItems),
    cartDiscounts: qualified(crudTableNames.cartDiscounts),
    outbox: qualified(crudTableNames.outbox),
  };
}
