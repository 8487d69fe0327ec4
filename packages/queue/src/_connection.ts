/**
 * @module queue/_connection
 * The queue's connection to PostgreSQL: a pool given by the caller (left open at close), or
 * one opened from a connection string (closed at close), and the settings a LISTEN
 * connection is opened with.
 */
import pg from 'pg';

export interface ConnectionOptions {
  /** `postgres://user:password@host:5432/database`: the database of the instance's event log, or another. */
  connectionString?: string;
  /** A pool to use instead (left open by `close`). */
  pool?: pg.Pool;
  /** Pooled connections when opened from `connectionString` (default 4). */
  maxConnections?: number;
}

export interface Connection {
  pool: pg.Pool;
  /** How to open one more connection (to LISTEN). */
  config: pg.ClientConfig;
  close(): Promise<void>;
}

export function connect(options: ConnectionOptions, owner: string): Connection {
  if (options.pool !== undefined) {
    const pool = options.pool;
    return { pool, config: { ...(pool.options as pg.ClientConfig) }, close: async () => {} };
  }
  if (typeof options.connectionString !== 'string' || options.connectionString === '') {
    throw new TypeError(`${owner}: give connectionString (postgres://…) or pool`);
  }
  const config: pg.ClientConfig = { connectionString: options.connectionString };
  const pool = new pg.Pool({ ...config, max: options.maxConnections ?? 4 });
  // An idle connection the server closed: the pool drops it; the next query opens another.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return { pool, config, close: () => pool.end() };
}
