/**
 * Connecting: the options a user gives, the pg configuration made from them, and what a
 * failed connection means, restated as an EnvironmentError that names the server and what to
 * check (never a stack of pg internals).
 */
import { type BackendProblem, EnvironmentError, markBackendProblem } from 'weir';

export interface ConnectionOptions {
  /**
   * A libpq connection URI (`postgres://user:password@host:5432/database?sslmode=require`), as
   * `WEIR_DATABASE_URL` holds it. Its parts win over the fields below, which fill in what it
   * leaves out (then libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE).
   */
  connectionString?: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  /** TLS: `true` verifies the server's certificate; an object passes `ca` or turns verification off. */
  ssl?: boolean | { rejectUnauthorized?: boolean; ca?: string };
  /** How long to wait for a connection before giving up (default 10,000 ms). */
  connectTimeoutMs?: number;
}

/** Where a connection goes, for messages: what the pg client resolved. */
export interface Target {
  host: string;
  port: number;
  user: string;
  database: string;
  /** The connection string as given, its password masked (for messages); none without one. */
  url?: string;
}

export function describeTarget(target: Target): string {
  return `${target.host}:${target.port}`;
}

/** The target as pg will resolve it (its defaults: PGHOST, PGPORT, PGUSER, PGDATABASE). */
export function targetOf(
  client: {
    host: string;
    port: number;
    user?: string | undefined;
    database?: string | undefined;
  },
  connectionString?: string,
): Target {
  return {
    host: client.host,
    port: client.port,
    user: client.user ?? '',
    database: client.database ?? '',
    ...(connectionString === undefined ? {} : { url: maskPassword(connectionString) }),
  };
}

/** A connection string with its password (if any) replaced by `***`. */
export function maskPassword(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password !== '') url.password = '***';
    return url.href;
  } catch {
    // Not a URL (libpq's key=value form): no password is shown either way.
    return connectionString.replace(/password=\S*/gi, 'password=***');
  }
}

/** The URL a message names: the string given, masked, or one made of what pg resolved. */
function urlOf(target: Target): string {
  return target.url ?? `postgres://${target.user}@${target.host}:${target.port}/${target.database}`;
}

/** A pg error's SQLSTATE or Node's system error code, looking through AggregateErrors. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const errors = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors)) for (const inner of errors) return errorCode(inner);
  return undefined;
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message !== '') return message;
  const errors = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors) && errors[0] instanceof Error) return errors[0].message;
  return message;
}

/**
 * Restates an error met while connecting to (or first talking to) the server: unreachable,
 * refused credentials, missing database, TLS, a server not accepting connections. Anything
 * else becomes `E_STORAGE` with the server named.
 */
export function connectError(error: unknown, target: Target): EnvironmentError {
  if (error instanceof EnvironmentError) return error;
  const restated = restate(error, target);
  const problem = problemOf(errorCode(error), messageOf(error));
  return problem === undefined ? restated : markBackendProblem(restated, problem);
}

/** The kind of trouble a connection error means, for `weir doctor`. */
function problemOf(code: string | undefined, message: string): BackendProblem | undefined {
  if (code === undefined) {
    if (NO_PASSWORD.test(message)) return 'authentication';
    return /timeout/i.test(message) ? 'unreachable' : undefined;
  }
  if (code.startsWith('28')) return 'authentication';
  if (code === '3D000') return 'missing';
  if (code === '42501') return 'permission';
  if (/^E[A-Z]+$/.test(code) || code.startsWith('08')) return 'unreachable';
  return undefined;
}

/** pg's words when the server asks for a password and none was given (URL, PGPASSWORD, pgpass). */
const NO_PASSWORD = /client password must be a (non-empty )?string|Password must be a string/i;

function restate(error: unknown, target: Target): EnvironmentError {
  const where = describeTarget(target);
  const code = errorCode(error);
  const options = { cause: error };
  const message = messageOf(error);
  switch (code) {
    case 'ECONNREFUSED':
      return new EnvironmentError(
        'E_STORAGE',
        `cannot reach the PostgreSQL server at ${where}: connection refused`,
        {
          ...options,
          hint: `check that PostgreSQL is running on ${target.host} and listens on port ${target.port} (listen_addresses, port in postgresql.conf), and that the host and port in the connection string (WEIR_DATABASE_URL) are right`,
        },
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new EnvironmentError(
        'E_STORAGE',
        `cannot reach the PostgreSQL server at ${where}: the host name ${target.host} does not resolve`,
        {
          ...options,
          hint: 'check the host name in the connection string (WEIR_DATABASE_URL) and this machine’s DNS',
        },
      );
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new EnvironmentError(
        'E_STORAGE',
        `cannot reach the PostgreSQL server at ${where}: ${code === 'ETIMEDOUT' ? 'no answer' : 'no route to the host'}`,
        {
          ...options,
          hint: `check the host and port, and that no firewall drops connections to port ${target.port}`,
        },
      );
    case '28P01':
    case '28000':
      return new EnvironmentError(
        'E_STORAGE',
        `the PostgreSQL server at ${where} refused user '${target.user}' for database '${target.database}': ${message}`,
        {
          ...options,
          hint: 'check the user name and password in the connection string (WEIR_DATABASE_URL), and that pg_hba.conf lets this user connect from this host',
        },
      );
    case '3D000':
      return new EnvironmentError(
        'E_STORAGE',
        `the PostgreSQL server at ${where} has no database '${target.database}'`,
        {
          ...options,
          hint: `create it (createdb ${target.database}, or CREATE DATABASE) or fix the database name in the connection string (WEIR_DATABASE_URL)`,
        },
      );
    case '57P03':
    case '53300':
      return new EnvironmentError(
        'E_STORAGE',
        `the PostgreSQL server at ${where} does not accept connections now: ${message}`,
        {
          ...options,
          hint:
            code === '53300'
              ? 'too many connections: raise max_connections or lower the pool size of the processes using it'
              : 'it is starting up or shutting down: try again in a moment',
        },
      );
    case '42501':
      return new EnvironmentError(
        'E_STORAGE',
        `user '${target.user}' may not create Weir's tables in database '${target.database}' at ${where}: ${message}`,
        {
          ...options,
          hint: 'grant it CREATE on the database (for the schema) or create the schema for it, once, as an owner',
        },
      );
  }
  if (NO_PASSWORD.test(message)) {
    return new EnvironmentError(
      'E_STORAGE',
      `the PostgreSQL server at ${where} asks for a password for user '${target.user}' (${urlOf(target)}), and none was given: not in the URL, PGPASSWORD or ~/.pgpass`,
      {
        ...options,
        hint: `give the password in the URL (postgres://${target.user}:PASSWORD@${target.host}:${target.port}/${target.database}, percent-encoded), in PGPASSWORD, or in ~/.pgpass (a line ${target.host}:${target.port}:${target.database}:${target.user}:PASSWORD, mode 0600; PGPASSFILE names another file)`,
      },
    );
  }
  if (/timeout/i.test(message)) {
    return new EnvironmentError(
      'E_STORAGE',
      `cannot reach the PostgreSQL server at ${where}: no answer within the connect timeout`,
      {
        ...options,
        hint: `check the host and port, and that no firewall drops connections to port ${target.port}`,
      },
    );
  }
  if (/SSL|TLS|certificate/i.test(message)) {
    return new EnvironmentError(
      'E_STORAGE',
      `cannot open a TLS connection to the PostgreSQL server at ${where}: ${message}`,
      {
        ...options,
        hint: 'check sslmode in the connection string and the server’s ssl settings (a server without TLS needs sslmode=disable)',
      },
    );
  }
  return new EnvironmentError(
    'E_STORAGE',
    `the PostgreSQL event log at ${where} (database '${target.database}'): ${message}`,
    options,
  );
}

/** Whether an error means the connection (not the statement) failed. */
export function isConnectionError(error: unknown): boolean {
  const code = errorCode(error);
  if (code === undefined) {
    return /Connection terminated|connection timeout|not queryable/i.test(messageOf(error));
  }
  return (
    code.startsWith('08') ||
    code.startsWith('28') ||
    code === '3D000' ||
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' ||
    code === '53300' ||
    /^E[A-Z]+$/.test(code)
  );
}
