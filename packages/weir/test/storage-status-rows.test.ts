/**
 * The SQLite event log's status columns (schema version 5): what upgrading a version-4 log
 * fills in (and the second copy of the usable summary it drops) equals what rebuilding the
 * index from the events computes, and both agree with the records (`statusRowOf`).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteEventLog, statusRowOf } from '../src/index.js';
import {
  checked,
  failed,
  freshnessEvaluated,
  materialized,
  observed,
} from '../src/storage/_conformance-fixtures.js';
import { MIGRATIONS } from '../src/storage/sqlite/_migrations.js';
import { tempDir } from './helpers.js';

const input = (dataVersion: string, eventId: number) => ({ dataVersion, eventId });

/** A log of every kind of row the status columns describe. */
async function writeLog(path: string): Promise<void> {
  const log = new SqliteEventLog(path);
  const [a] = await log.append([materialized('a', '', 'va')]);
  const [b] = await log.append([
    materialized('b', '', 'vb', {
      inputs: {
        z: input('vz', 1),
        a: input('va', a!.id),
        m: { ...input('h', 1), partitionCount: 2 },
      },
    }),
  ]);
  await log.append([materialized('c', '', 'vc', { inputs: { a: input('v\0a', a!.id) } })]);
  await log.append([checked('b', '', b!.id, false, 'volume'), checked('b', '', b!.id, true)]);
  const [d] = await log.append([materialized('d', '', 'vd1')]);
  await log.append([materialized('d', '', 'vd2', { blockedBy: ['bounds'], endedAt: 7 })]);
  await log.append([checked('d', '', d!.id, false), failed('d', ''), freshnessEvaluated('d', '')]);
  await log.append([observed('s', 'vs'), failed('e', ''), materialized('p', 'x', 'vp')]);
  await log.close();
}

/**
 * The log at `path` as a version-4 log: its tables copied into one made by migrations 1-4,
 * without the columns version 5 adds.
 */
function asVersion4(path: string): string {
  const old = join(tempDir(), 'events.db');
  const db = new Database(old);
  db.exec(
    'CREATE TABLE weir_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  for (const migration of MIGRATIONS.slice(0, 4)) {
    db.prepare('INSERT INTO weir_schema VALUES (?, ?, 0)').run(migration.version, migration.name);
    db.exec(migration.sql);
  }
  db.prepare('ATTACH DATABASE ? AS current').run(path);
  for (const table of ['events', 'asset_state', 'check_latest', 'runs']) {
    const columns = (
      db.prepare(`PRAGMA main.table_info(${table})`).all() as Array<{ name: string }>
    )
      .map((column) => column.name)
      .join(', ');
    db.exec(`INSERT INTO main.${table} (${columns}) SELECT ${columns} FROM current.${table}`);
  }
  db.exec('DETACH DATABASE current');
  db.close();
  return old;
}

async function rowsOf(
  path: string,
): Promise<{ rows: unknown[]; fromRecords: unknown[]; records: unknown[] }> {
  const log = new SqliteEventLog(path);
  const sorted = <T extends { assetKey: string }>(list: T[]) =>
    list.sort((x, y) => x.assetKey.localeCompare(y.assetKey));
  const rows = sorted(await log.statusRows());
  const records = sorted(await log.latest());
  const fromRecords = records.map(statusRowOf);
  await log.close();
  return { rows, fromRecords, records };
}

describe('SQLite event log schema version 5', () => {
  it('upgrades a version-4 log: the status columns equal a rebuild from the events', async () => {
    const path = join(tempDir(), 'events.db');
    await writeLog(path);
    const upgraded = asVersion4(path);
    const migrated = await rowsOf(upgraded);
    const rebuilt = new SqliteEventLog(upgraded);
    await rebuilt.rebuildIndexes();
    await rebuilt.close();
    const afterRebuild = await rowsOf(upgraded);
    expect(migrated.rows).toEqual(afterRebuild.rows);
    // A row keeps one summary unless its usable materialization is not the newest.
    expect(migrated.records).toEqual(afterRebuild.records);
    expect(migrated.rows).toEqual(migrated.fromRecords);
    expect(migrated.rows).toEqual((await rowsOf(path)).rows);
    expect(migrated.rows).toHaveLength(6);
  });
});
