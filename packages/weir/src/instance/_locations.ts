/**
 * @module instance/_locations
 * Reads where the event log and the artefacts are (`WEIR_DATABASE_URL`/`database`,
 * `WEIR_ARTEFACTS`/`artefacts`): a PostgreSQL URL or a SQLite file, an `s3://` URL or a local
 * folder. A malformed value is an error that names its source and the forms expected.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from '../errors.js';
import type { ArtefactsConfig, Durability, EventLogConfig } from './config.js';

interface Setting<T> {
  value: T;
  from: string;
}

const DATABASE_FORMS =
  'postgres://USER:PASSWORD@HOST:5432/DATABASE (optionally ?schema=NAME), sqlite:PATH, or a path to a SQLite file';
const ARTEFACTS_FORMS = 's3://BUCKET/PREFIX, or a local folder';
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

export function parseDatabase(
  setting: Setting<string> | undefined,
  options: {
    root: string;
    dir: string;
    durability: Durability | undefined;
    schema: string | undefined;
    maxConnections: number | undefined;
  },
): EventLogConfig {
  const durability = options.durability === undefined ? {} : { durability: options.durability };
  if (setting === undefined) {
    return {
      kind: 'sqlite',
      path: join(options.dir, 'events.db'),
      from: 'the default',
      ...durability,
    };
  }
  const { value, from } = setting;
  const scheme = SCHEME.exec(value)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') {
    return { ...postgresUrl(value, from, options), ...durability };
  }
  if (scheme === 'sqlite' || scheme === 'file') {
    const path = scheme === 'file' ? fileUrlPath(value, from) : value.slice('sqlite:'.length);
    const rest = path.startsWith('//') ? path.slice(2) : path;
    if (rest === '') {
      throw malformed(from, value, 'a sqlite: URL without a path', DATABASE_FORMS);
    }
    return { kind: 'sqlite', path: sqliteFile(resolve(options.root, rest)), from, ...durability };
  }
  if (scheme !== undefined && scheme.length > 1) {
    throw malformed(
      from,
      value,
      `a ${scheme}: URL, but Weir's event log is PostgreSQL or SQLite`,
      DATABASE_FORMS,
    );
  }
  const server = serverWithoutScheme(value, options.root);
  if (server !== undefined) {
    throw malformed(
      from,
      value,
      `${server}, not a SQLite file: a typo here would put the event log in a new local file`,
      DATABASE_FORMS,
    );
  }
  return { kind: 'sqlite', path: sqliteFile(resolve(options.root, value)), from, ...durability };
}

/**
 * Why a plain value (no scheme) reads as a server address that lost its scheme, or undefined:
 * `postgres//host/db`, `user@host/db`, or `db.internal:5432/weir` and `db.internal/weir`
 * (a host name with a dot, or a port, as its first part, and no such folder here).
 */
function serverWithoutScheme(value: string, root: string): string | undefined {
  if (/^postgres(ql)?\b/i.test(value)) return 'a PostgreSQL URL without its ://';
  const first = value.split('/')[0] ?? '';
  if (first.includes('@')) return 'a user@host address without postgres://';
  const hostLike = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?$|^[A-Za-z0-9.-]+:\d+$/.test(first);
  if (hostLike && value.includes('/') && !existsSync(resolve(root, first))) {
    return 'a server address without postgres://';
  }
  return undefined;
}

function postgresUrl(
  value: string,
  from: string,
  options: { schema: string | undefined; maxConnections: number | undefined },
): Extract<EventLogConfig, { kind: 'postgres' }> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw malformed(
      from,
      redact(value),
      'not a valid URL (percent-encode @, :, / and # in the user name and password)',
      DATABASE_FORMS,
    );
  }
  let port = 5432;
  if (url.port !== '') port = Number(url.port);
  const schemaParam = url.searchParams.get('schema');
  if (schemaParam !== null && !SCHEMA_NAME.test(schemaParam)) {
    throw malformed(
      from,
      redact(value),
      `schema '${schemaParam}' is not a schema name (letters, digits and _)`,
      DATABASE_FORMS,
    );
  }
  url.searchParams.delete('schema');
  const user = url.username === '' ? undefined : decodeURIComponent(url.username);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database.includes('/')) {
    throw malformed(from, redact(value), `'${database}' is not a database name`, DATABASE_FORMS);
  }
  return {
    kind: 'postgres',
    url: url.href,
    schema: schemaParam ?? options.schema ?? 'weir',
    ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
    from,
    host: url.hostname === '' ? 'localhost' : url.hostname.replace(/^\[|\]$/g, ''),
    port,
    database: database === '' ? (user ?? 'postgres') : database,
    user,
  };
}

export function parseArtefacts(
  setting: Setting<string> | undefined,
  options: {
    root: string;
    dir: string;
    env: Readonly<Record<string, string | undefined>>;
    s3: {
      endpoint: Setting<string> | undefined;
      region: string | undefined;
      forcePathStyle: boolean | undefined;
      directPut: boolean | undefined;
      partSize: number | undefined;
    };
  },
): ArtefactsConfig {
  if (setting === undefined) {
    return { kind: 'local', path: join(options.dir, 'artefacts'), from: 'the default' };
  }
  const { value, from } = setting;
  const scheme = SCHEME.exec(value)?.[1]?.toLowerCase();
  if (scheme === 's3') return s3Url(value, from, options);
  if (scheme === 'file') return { kind: 'local', path: fileUrlPath(value, from), from };
  if (scheme !== undefined && scheme.length > 1) {
    throw malformed(
      from,
      value,
      `a ${scheme}: URL, but artefacts go to S3 or an S3-compatible server (s3://, with WEIR_S3_ENDPOINT for a server that is not AWS), or to a local folder`,
      ARTEFACTS_FORMS,
    );
  }
  return { kind: 'local', path: resolve(options.root, value), from };
}

function s3Url(
  value: string,
  from: string,
  options: Parameters<typeof parseArtefacts>[1],
): ArtefactsConfig {
  const match = /^s3:\/\/([^/?#]*)(\/[^?#]*)?$/i.exec(value);
  if (match === null) {
    throw malformed(from, value, 'not of the form s3://BUCKET/PREFIX (no ? or #)', ARTEFACTS_FORMS);
  }
  const bucket = match[1]!;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/.test(bucket)) {
    throw malformed(
      from,
      value,
      bucket === '' ? 'no bucket' : `'${bucket}' is not a bucket name`,
      ARTEFACTS_FORMS,
    );
  }
  const path = (match[2] ?? '').replace(/^\/+/, '');
  const prefix = path === '' || path.endsWith('/') ? path : `${path}/`;
  const env = options.env;
  const endpointSetting =
    variable(env, 'WEIR_S3_ENDPOINT') ??
    variable(env, 'AWS_ENDPOINT_URL_S3') ??
    variable(env, 'AWS_ENDPOINT_URL') ??
    options.s3.endpoint;
  let endpoint: string | undefined;
  if (endpointSetting !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(endpointSetting.value);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      throw malformed(
        endpointSetting.from,
        endpointSetting.value,
        'not an http:// or https:// URL',
        'http(s)://HOST:PORT, e.g. http://minio.internal:9000',
      );
    }
    endpoint = endpointSetting.value.replace(/\/+$/, '');
  }
  const region =
    variable(env, 'AWS_REGION')?.value ??
    variable(env, 'AWS_DEFAULT_REGION')?.value ??
    options.s3.region ??
    (endpoint === undefined ? undefined : 'us-east-1');
  return {
    kind: 's3',
    bucket,
    prefix,
    ...(endpoint === undefined ? {} : { endpoint, endpointFrom: endpointSetting!.from }),
    ...(region === undefined ? {} : { region }),
    forcePathStyle: options.s3.forcePathStyle ?? endpoint !== undefined,
    ...(options.s3.directPut === undefined ? {} : { directPut: options.s3.directPut }),
    ...(options.s3.partSize === undefined ? {} : { partSize: options.s3.partSize }),
    cacheDir: join(options.dir, 's3-cache'),
    from,
  };
}

function variable(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): Setting<string> | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : { value, from: name };
}

/** A SQLite file; an existing folder means the `events.db` in it. */
function sqliteFile(path: string): string {
  return existsSync(path) && statSync(path).isDirectory() ? join(path, 'events.db') : path;
}

function fileUrlPath(value: string, from: string): string {
  try {
    return fileURLToPath(value);
  } catch {
    throw malformed(from, value, 'not a valid file: URL', 'file:///ABSOLUTE/PATH');
  }
}

/** The URL without its password, for messages. */
function redact(value: string): string {
  return value.replace(/^([a-z]+:\/\/[^:/@]*:)[^/]*@/i, '$1***@');
}

function malformed(from: string, raw: string, what: string, forms: string): EnvironmentError {
  // A password in what was written is never repeated (`user:secret@host` → `user:***@host`).
  const value = raw.replace(/(^|\/\/)([^:@/]*):[^@/]*@/, '$1$2:***@');
  const where = /^[A-Z][A-Z0-9_]+$/.test(from) ? `${from}='${value}'` : `${from}: '${value}'`;
  return new EnvironmentError('E_USAGE', `${where}: ${what}`, { hint: `expected ${forms}` });
}
