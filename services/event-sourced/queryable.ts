import type { QueryConfig, QueryResult, QueryResultRow } from "pg";

/**
 * A pool or a client: reads that need no transaction of their own take either. A `QueryConfig`
 * with a `name` makes the statement a prepared one (see `statementName`).
 */
export interface Queryable {
  query<R extends QueryResultRow>(config: QueryConfig): Promise<QueryResult<R>>;
  query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}
