/**
 * Numbered schema migrations for the SQLite event log: the SQL of each is a numbered file in
 * `migrations/`, loaded as text (esbuild's text loader when bundled; a vitest plugin in tests).
 * A released migration is never edited: add a new one. Each runs in its own transaction with
 * its row inserted first.
 */
/// <reference path="./sql.d.ts" />
import type Database from 'better-sqlite3';
import { EnvironmentError } from '../../errors.js';
import eventsAssetAndRunIndexes from './migrations/001-events-asset-and-run-indexes.sql';
import assetState from './migrations/002-asset-state.sql';
import partitions from './migrations/003-partitions.sql';
import leases from './migrations/004-leases.sql';
import statusColumns from './migrations/005-status-columns.sql';
import automation from './migrations/006-automation.sql';
import leasePools from './migrations/007-lease-pools.sql';

export interface Migration {
  version: number;
  /** Recorded in weir_schema beside the version. */
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'events, asset and run indexes', sql: eventsAssetAndRunIndexes },
  {
    version: 2,
    name: 'asset_state: summaries, the usable materialization, checks and freshness',
    sql: assetState,
  },
  {
    version: 3,
    name: 'partitions: change ids and code versions in asset_state, dynamic partitions, backfills',
    sql: partitions,
  },
  { version: 4, name: 'leases: steps in flight, one run per asset partition', sql: leases },
  {
    version: 5,
    name: 'status columns: input versions, artefact location and end time; check outcomes',
    sql: statusColumns,
  },
  {
    version: 6,
    name: 'automation: newest sensor and schedule ticks, condition evaluations, pauses; roles',
    sql: automation,
  },
  { version: 7, name: 'lease pools: the pool slots each step in flight holds', sql: leasePools },
];

const NEWEST = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Checks a log opened read-only: its schema must be exactly this Weir's (an older one needs a
 * migration, which writes).
 */
export function checkSchema(db: Database.Database, path: string): void {
  const current = (
    db.prepare('SELECT MAX(version) AS v FROM weir_schema').get() as { v: number | null }
  ).v;
  if (current !== null && current > NEWEST) throw newerThanThisWeir(path, current);
  if (current !== NEWEST) {
    throw new EnvironmentError(
      'E_READ_ONLY',
      `the event log ${path} has schema version ${current ?? 0}; this Weir reads version ${NEWEST} and would upgrade it, but the log is read-only here`,
      {
        hint: 'run one writing command (weir materialize) where the instance is writable, or read it with the Weir version that wrote it',
      },
    );
  }
}

function newerThanThisWeir(path: string, current: number): EnvironmentError {
  return new EnvironmentError(
    'E_STORAGE',
    `the event log at ${path} has schema version ${current}, newer than this Weir understands (${NEWEST})`,
    { hint: 'upgrade Weir to the version that wrote this log' },
  );
}

/** Applies the migrations a log lacks; refuses a log newer than this Weir. */
export function migrate(db: Database.Database, path: string): void {
  const newest = NEWEST;
  // Up to date (every open but the first after an upgrade): a read, which in WAL mode waits
  // for no writer, so a read command works while another process holds the write lock.
  const found = schemaVersion(db);
  if (found === newest) return;
  if (found !== undefined && found > newest) throw newerThanThisWeir(path, found);
  // One immediate transaction: a second process opening the same new log waits here, then
  // finds the migrations applied, instead of racing to apply them too.
  db.transaction(() => {
    db.exec(
      'CREATE TABLE IF NOT EXISTS weir_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    const current =
      (db.prepare('SELECT MAX(version) AS v FROM weir_schema').get() as { v: number | null }).v ??
      0;
    if (current > newest) throw newerThanThisWeir(path, current);
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      db.prepare(
        'INSERT INTO weir_schema (version, name, applied_at) VALUES (@version, @name, @appliedAt)',
      ).run({ version: migration.version, name: migration.name, appliedAt: Date.now() });
      db.exec(migration.sql);
    }
  }).immediate();
}

/** The log's schema version, or undefined when it has no schema table yet. */
function schemaVersion(db: Database.Database): number | undefined {
  try {
    return (
      (db.prepare('SELECT MAX(version) AS v FROM weir_schema').get() as { v: number | null }).v ?? 0
    );
  } catch (error) {
    if (/no such table/.test((error as Error).message)) return undefined;
    throw error;
  }
}
