/**
 * Numbered schema migrations: the SQL of each is a numbered file in `migrations/`, loaded as
 * text (esbuild's text loader when bundled; the workspace's vitest plugin in tests). A released
 * migration is never edited: add a new one. All that a log lacks are applied in one
 * transaction holding an advisory lock, so processes opening a new log at once apply them once.
 */
/// <reference path="./sql.d.ts" />
import type pg from 'pg';
import { EnvironmentError } from 'weir';
import eventsAndIndexes from './migrations/0001_events_and_indexes.sql';
import writes from './migrations/0002_writes.sql';

export interface Migration {
  version: number;
  /** Recorded in weir_schema beside the version. */
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'events and the index tables', sql: eventsAndIndexes },
  { version: 2, name: 'writes on the server: index rules, startSteps, group commit', sql: writes },
];

export const NEWEST = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Distinguishes the migration lock from the write lock (classid of the two-key form). */
const MIGRATION_LOCK = 1464158547;

/**
 * Brings `schema` to the newest version: creates it if missing, applies what it lacks, and
 * refuses a log newer than this code. The client's search_path must be `schema`.
 */
export async function migrate(client: pg.ClientBase, schema: string, where: string): Promise<void> {
  const found = await schemaVersion(client, schema);
  if (found === NEWEST) return;
  if (found !== undefined && found > NEWEST) throw newerThanThis(where, schema, found);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [MIGRATION_LOCK, schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quote(schema)}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${quote(schema)}.weir_schema (
         version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)`,
    );
    const { rows } = await client.query<{ v: number | null }>(
      `SELECT max(version) AS v FROM ${quote(schema)}.weir_schema`,
    );
    const current = rows[0]?.v ?? 0;
    if (current > NEWEST) throw newerThanThis(where, schema, current);
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      await client.query(
        `INSERT INTO ${quote(schema)}.weir_schema (version, name, applied_at) VALUES ($1, $2, $3)`,
        [migration.version, migration.name, Date.now()],
      );
      await client.query(migration.sql);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** The schema's version, or undefined when it has no weir_schema table yet. */
async function schemaVersion(client: pg.ClientBase, schema: string): Promise<number | undefined> {
  const { rows } = await client.query<{ v: number | null; present: boolean }>(
    `SELECT to_regclass($1) IS NOT NULL AS present, NULL::integer AS v`,
    [`${quote(schema)}.weir_schema`],
  );
  if (!rows[0]?.present) return undefined;
  const version = await client.query<{ v: number | null }>(
    `SELECT max(version) AS v FROM ${quote(schema)}.weir_schema`,
  );
  return version.rows[0]?.v ?? 0;
}

function newerThanThis(where: string, schema: string, version: number): EnvironmentError {
  return new EnvironmentError(
    'E_STORAGE',
    `the event log at ${where} (schema ${schema}) has schema version ${version}, newer than this @weir/postgres understands (${NEWEST})`,
    { hint: 'upgrade @weir/postgres (and weir) to the version that wrote this log' },
  );
}

/** A quoted SQL identifier. */
export function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
