import knex from "knex";
import type { Knex } from "knex";

export interface CrudKnexOptions {
  postgresUrl: string;
  /** Connections in the pool: concurrent commands beyond it wait for one. Default 10. */
  maxConnections?: number;
}

/**
 * The knex instance design 1 runs on. int8 parsing is left as node-postgres' default (strings):
 * the row decoders read both, and a process-wide type parser would change other modules' results.
 */
export function createCrudKnex(options: CrudKnexOptions): Knex {
  return knex({
    client: "pg",
    connection: options.postgresUrl,
    pool: { min: 0, max: options.maxConnections ?? 10 },
  });
}
