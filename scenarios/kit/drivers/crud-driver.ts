import type { Knex } from "knex";
import type pg from "pg";
import { createCrudKnex } from "../../../services/crud-cdc/crud/create-crud-knex.ts";
import { createCrudCartHandler } from "../../../services/crud-cdc/crud/crud-command-handler.ts";
import type { CrudCartHandler } from "../../../services/crud-cdc/crud/crud-command-handler.ts";
import { migrateCrudSchema } from "../../../services/crud-cdc/crud/migrate-crud-schema.ts";
import type { ReplicaIdentity } from "../../../services/crud-cdc/crud/migrate-crud-schema.ts";
import { readCrudCart } from "../../../services/crud-cdc/crud/read-crud-state.ts";
import type { CrudSubjectSpec } from "../../model/subjects.ts";
import type { DriverContext } from "./driver-context.ts";
import { SUBJECT_POOL_SIZE } from "./driver-context.ts";
import { dropSchema, endPool } from "./drop-schema.ts";
import { createSubjectPool } from "./subject-pool.ts";
import type { CrudDriver } from "./subject-driver.ts";

/** The CRUD tables of one subject and the handler that writes them; the CDC driver builds on it. */
export interface CrudParts {
  pool: pg.Pool;
  knex: Knex;
  handler: CrudCartHandler;
  dispose(): Promise<string[]>;
}

export async function openCrudParts(
  context: DriverContext,
  options: { crudSchema: string; mode: "locked" | "naive"; replicaIdentity: ReplicaIdentity; intent: boolean },
): Promise<CrudParts> {
  const knex = createCrudKnex({ postgresUrl: context.endpoints.postgresUrl, maxConnections: SUBJECT_POOL_SIZE });
  const pool = createSubjectPool(context, options.crudSchema);
  try {
    await migrateCrudSchema(knex, { schema: options.crudSchema, replicaIdentity: options.replicaIdentity });
  } catch (error) {
    await Promise.all([knex.destroy(), pool.end()]);
    throw error;
  }
  const handler = createCrudCartHandler({ knex, schema: options.crudSchema, mode: options.mode, intent: options.intent ? "logical-message" : "off" });
  return {
    pool,
    knex,
    handler,
    async dispose() {
      const problems = await dropSchema(pool, options.crudSchema);
      return [...problems, ...(await endPool({ end: () => knex.destroy() }, "knex")), ...(await endPool(pool, "pool"))];
    },
  };
}

/** The CRUD tables alone: nothing streams them. */
export async function openCrudDriver(context: DriverContext, spec: CrudSubjectSpec, names: { subject: string; crudSchema: string }): Promise<CrudDriver> {
  const parts = await openCrudParts(context, { crudSchema: names.crudSchema, mode: spec.crud.mode, replicaIdentity: "default", intent: false });
  return {
    design: "crud",
    spec,
    names,
    pool: parts.pool,
    knex: parts.knex,
    apply: (command, metadata) => parts.handler.applyRaw(command, metadata),
    current: (cartId) => readCrudCart(parts.knex, names.crudSchema, cartId),
    dispose: () => parts.dispose(),
  };
}
