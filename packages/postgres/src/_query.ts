/**
 * @module postgres/_query
 * How the log's readers query: one statement on the log's pool, failing as the log fails
 * (closed, or a pg error restated as an EnvironmentError naming the server).
 */
import type pg from 'pg';

export type Query = <R extends pg.QueryResultRow>(
  sql: string,
  params?: unknown[],
) => Promise<pg.QueryResult<R>>;
