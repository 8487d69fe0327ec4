/**
 * @module postgres/_open
 * Opening a PostgreSQL log: the pg configuration made from its options, a first connection
 * that checks the server's version and applies the migrations, then the pool of the log's
 * connections, each with the log's schema on its search path.
 */
import pg from 'pg';
import { EnvironmentError } from 'weir';
import { connectError, describeTarget, type Target, targetOf } from './_connect.js';
import { migrate } from './_migrations.js';
import type { PostgresEventLogOptions } from './postgres-event-log.js';

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** bigint (ids, epoch ms) as numbers: every value Weir stores is below 2^53. */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export interface Opened {
  pool: pg.Pool;
  config: pg.ClientConfig;
  schema: string;
  target: Target;
}

/** Connects, migrates the log's schema and returns the pool; see `PostgresEventLog.open`. */
export async function openPool(options: PostgresEventLogOptions): Promise<Opened> {
  const schema = options.schema ?? 'weir';
  if (!SCHEMA_NAME.test(schema)) {
    throw new EnvironmentError(
      'E_USAGE',
      `'${schema}' cannot name the event log's schema: use letters, digits and _ (at most 63, not starting with a digit)`,
    );
  }
  // Set on each connection as it opens (not as startup `options`, which a connection
  // string's own `options` would replace).
  const session = `SET search_path TO ${schema}${options.durability === 'normal' ? '; SET synchronous_commit TO off' : ''}`;
  const config: pg.ClientConfig = {
    ...(options.connectionString === undefined
      ? {}
      : { connectionString: options.connectionString }),
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.user === undefined ? {} : { user: options.user }),
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(options.database === undefined ? {} : { database: options.database }),
    ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    application_name: options.applicationName ?? 'weir',
    types: TYPES,
  };
  const client = new pg.Client(config);
  const target = targetOf(client, options.connectionString);
  // A client that fails after connecting (the server going away) must not crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query(session);
    const { rows } = await client.query<{ version: string }>(
      "SELECT current_setting('server_version_num') AS version",
    );
    if (Number(rows[0]?.version) < 120000) {
      throw new EnvironmentError(
        'E_STORAGE',
        `the PostgreSQL server at ${describeTarget(target)} is version ${rows[0]?.version}; Weir's event log needs PostgreSQL 12 or newer`,
        { hint: 'upgrade the server, or point WEIR_DATABASE_URL at a newer one' },
      );
    }
    await migrate(client, schema, describeTarget(target));
  } catch (error) {
    await client.end().catch(() => {});
    throw connectError(error, target);
  }
  await client.end();
  const pool = new pg.Pool({
    ...config,
    max: options.maxConnections ?? 4,
    // Before the connection is used; a failure fails what it was opened for.
    onConnect: async (connection) => {
      await connection.query(session);
    },
  });
  // An idle connection the server closed: the next query opens another.
  pool.on('error', () => {});
  return { pool, config, schema, target };
}
