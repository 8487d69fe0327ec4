/**
 * The schema: the migrations give exactly the schema dumped in packages/postgres/schema.sql
 * (regenerate with UPDATE_SCHEMA=1), released migrations are never edited (their hashes are in
 * the dump's header), several processes opening a new log at once migrate it once, and a log
 * newer than this code is refused.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from 'weir';
import { MIGRATIONS } from '../src/_migrations.js';
import { PostgresEventLog } from '../src/index.js';
import { startTestServer, type TestServer } from './_server.js';

const SCHEMA_FILE = fileURLToPath(new URL('../schema.sql', import.meta.url));
const MIGRATIONS_DIR = fileURLToPath(new URL('../src/migrations/', import.meta.url));

let server: TestServer;
let url: string;

beforeAll(async () => {
  server = await startTestServer();
  url = server.url(await server.createDatabase('weir_schema'));
});

afterAll(async () => {
  await server?.stop();
});

/** Runs `work` with a plain client on the test database. */
async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * The schema's tables (columns, constraints), indexes, views and functions as SQL, from the
 * catalog, in name order, with the schema's name left out.
 */
async function dumpSchema(schema: string): Promise<string> {
  return withClient(async (client) => {
    const unqualify = (sql: string) => sql.replaceAll(`${schema}.`, '');
    const parts: string[] = [];
    const tables = await client.query<{ oid: number; name: string }>(
      `SELECT c.oid::integer AS oid, c.relname AS name FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY c.relname`,
      [schema],
    );
    for (const table of tables.rows) {
      const columns = await client.query<{ line: string }>(
        `SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
           || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
           || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') AS line
         FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
        [table.oid],
      );
      const constraints = await client.query<{ line: string }>(
        `SELECT pg_get_constraintdef(oid) AS line FROM pg_constraint
         WHERE conrelid = $1 AND contype <> 'n' ORDER BY conname`,
        [table.oid],
      );
      const lines = [...columns.rows, ...constraints.rows].map((row) => `  ${row.line}`);
      parts.push(`CREATE TABLE ${table.name} (\n${lines.join(',\n')}\n);`);
    }
    const indexes = await client.query<{ def: string }>(
      `SELECT indexdef AS def FROM pg_indexes WHERE schemaname = $1
         AND indexname NOT IN (SELECT conname FROM pg_constraint c
           JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = $1)
       ORDER BY indexname`,
      [schema],
    );
    parts.push(...indexes.rows.map((row) => `${unqualify(row.def)};`));
    const views = await client.query<{ name: string; def: string }>(
      `SELECT viewname AS name, definition AS def FROM pg_views WHERE schemaname = $1
       ORDER BY viewname`,
      [schema],
    );
    parts.push(
      ...views.rows.map((row) => `CREATE VIEW ${row.name} AS\n${unqualify(row.def).trimEnd()}`),
    );
    const functions = await client.query<{ def: string }>(
      `SELECT pg_get_functiondef(p.oid) AS def FROM pg_proc p
       JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = $1 ORDER BY p.proname`,
      [schema],
    );
    parts.push(...functions.rows.map((row) => `${unqualify(row.def).trimEnd()};`));
    return parts.join('\n\n');
  });
}

function header(): string {
  const lines = [
    "-- The PostgreSQL event log's schema after every migration (from the catalog; the schema's",
    '-- name, `weir` by default, left out). Regenerate with',
    '-- UPDATE_SCHEMA=1 npx vitest run packages/postgres/test/schema.test.ts',
    '-- Released migrations are never edited (add one); their SHA-256:',
  ];
  for (const file of migrationFiles()) {
    const hash = createHash('sha256')
      .update(readFileSync(`${MIGRATIONS_DIR}${file}`))
      .digest('hex');
    lines.push(`--   ${file} ${hash}`);
  }
  return lines.join('\n');
}

function migrationFiles(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((file) => file.endsWith('.sql'))
    .sort();
}

describe('PostgreSQL event log schema', () => {
  it('is what the migrations make, as dumped in schema.sql', async () => {
    const log = await PostgresEventLog.open({ connectionString: url, schema: 'dumped' });
    await log.close();
    const dump = `${header()}\n\n${await dumpSchema('dumped')}\n`;
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(SCHEMA_FILE, dump);
    expect(dump).toBe(readFileSync(SCHEMA_FILE, 'utf8'));
  });

  it('lists every migration file once, numbered from 1 without gaps', () => {
    const files = migrationFiles();
    expect(files.map((file) => Number(file.slice(0, 4)))).toEqual(MIGRATIONS.map((m) => m.version));
    expect(files.every((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))).toBe(true);
  });

  it('is migrated once when several processes open a new log at the same moment', async () => {
    const logs = await Promise.all(
      Array.from({ length: 6 }, () =>
        PostgresEventLog.open({ connectionString: url, schema: 'raced' }),
      ),
    );
    await Promise.all(logs.map((log) => log.close()));
    const versions = await withClient(async (client) => {
      const { rows } = await client.query<{ version: number }>(
        'SELECT version FROM raced.weir_schema ORDER BY version',
      );
      return rows.map((row) => row.version);
    });
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('refuses a log written by a newer version, saying what to do', async () => {
    const log = await PostgresEventLog.open({ connectionString: url, schema: 'future' });
    await log.close();
    await withClient((client) =>
      client.query("INSERT INTO future.weir_schema VALUES (999, 'from the future', 0)"),
    );
    const error = await PostgresEventLog.open({ connectionString: url, schema: 'future' }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).message).toMatch(
      /schema version 999, newer than this @weir\/postgres understands \(2\)/,
    );
    expect((error as EnvironmentError).hint).toMatch(/upgrade @weir\/postgres/);
  });

  it('refuses a schema name it cannot put in a search path', async () => {
    const error = await PostgresEventLog.open({ connectionString: url, schema: 'a b' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).code).toBe('E_USAGE');
  });
});
