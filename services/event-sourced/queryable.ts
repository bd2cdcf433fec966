import type { QueryResult, QueryResultRow } from "pg";

/** A pool or a client: reads that need no transaction of their own take either. */
export interface Queryable {
  query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}
