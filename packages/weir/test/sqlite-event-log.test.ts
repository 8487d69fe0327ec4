import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EnvironmentError, SqliteEventLog } from '../src/index.js';
import { MIGRATIONS } from '../src/storage/sqlite/_migrations.js';
import { runEventLogConformance } from '../src/testing.js';
import { tempDir } from './helpers.js';

runEventLogConformance({
  name: 'SQLite',
  create: async () => {
    const path = join(tempDir(), 'events.db');
    return { log: new SqliteEventLog(path), connect: async () => new SqliteEventLog(path) };
  },
  // Connections in this process append one at a time (better-sqlite3 is synchronous);
  // test/storage-sqlite-processes.test.ts appends from several processes at once.
  capabilities: { reopen: true, concurrentAppends: true },
});

describe('SQLite event log', () => {
  it('refuses a log written by a newer Weir, saying what to do', () => {
    const path = join(tempDir(), 'events.db');
    new SqliteEventLog(path).close();
    const db = new Database(path);
    db.prepare('INSERT INTO weir_schema (version, name, applied_at) VALUES (999, ?, 0)').run(
      'future',
    );
    db.close();
    expect(() => new SqliteEventLog(path)).toThrow(
      /schema version 999, newer than this Weir understands/,
    );
  });

  it('names a corrupt file and keeps it in place', () => {
    const path = join(tempDir(), 'events.db');
    writeFileSync(path, 'this is not a database, just text that got here somehow'.repeat(100));
    let error: unknown;
    try {
      new SqliteEventLog(path);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).message).toContain(path);
    expect((error as EnvironmentError).code).toBe('E_STORAGE_CORRUPT');
    // Recovery that keeps history, never "move it aside" first (issue 15).
    expect((error as EnvironmentError).hint).toContain("'weir doctor --recover'");
    expect((error as EnvironmentError).hint).not.toContain('move it aside');
  });

  it('upgrades a version-1 log, keeping what its index knew', async () => {
    const path = join(tempDir(), 'events.db');
    const db = new Database(path);
    db.exec(
      'CREATE TABLE weir_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    db.prepare('INSERT INTO weir_schema VALUES (1, ?, 0)').run(MIGRATIONS[0]!.name);
    db.exec(MIGRATIONS[0]!.sql);
    const body = {
      type: 'asset:materialized',
      runId: 'r1',
      assetKey: 'a',
      partition: '',
      timestamp: 5,
      materialization: {
        dataVersion: 'v1',
        codeVersion: 'c1',
        inputs: { up: { dataVersion: 'u1', eventId: 1 } },
        configHash: 'h',
        artefact: {
          format: 'json',
          location: 'objects/v1',
          contentHash: 'v1',
          size: 2,
          type: 'blob',
        },
        startedAt: 1,
        endedAt: 2,
        host: 'h',
        weirVersion: '0.1.0',
        metadata: {},
      },
    };
    db.prepare(
      "INSERT INTO events (id, type, run_id, asset_key, partition, timestamp, body) VALUES (7, 'asset:materialized', 'r1', 'a', '', 5, ?)",
    ).run(JSON.stringify(body));
    db.prepare(
      "INSERT INTO asset_latest (asset_key, partition, materialization_id) VALUES ('a', '', 7)",
    ).run();
    db.close();
    const log = new SqliteEventLog(path);
    const [record] = await log.latest();
    // Backfilled summaries keep what version 1 had (a superset of what new ones keep).
    const { configHash, host, weirVersion, metadata, ...summary } = body.materialization;
    expect(record!.materialization).toEqual({
      id: 7,
      type: 'asset:materialized',
      runId: 'r1',
      assetKey: 'a',
      partition: '',
      timestamp: 5,
      materialization: summary,
    });
    expect(record!.usable).toEqual(record!.materialization);
    await log.close();
  });

  it('applies migrations once: reopening is harmless', async () => {
    const path = join(tempDir(), 'events.db');
    await new SqliteEventLog(path).close();
    await new SqliteEventLog(path).close();
    const db = new Database(path);
    expect(db.prepare('SELECT version FROM weir_schema').all()).toEqual(
      MIGRATIONS.map(({ version }) => ({ version })),
    );
    db.close();
  });
});

describe('SQLite event log across processes', () => {
  it('several processes opening the same new log at once all succeed', async () => {
    const { spawn } = await import('node:child_process');
    const path = join(tempDir(), 'events.db');
    const dist = new URL('../dist/index.js', import.meta.url).href;
    const script = `import { SqliteEventLog } from ${JSON.stringify(dist)}; const log = new SqliteEventLog(${JSON.stringify(path)}); await log.append([{ type: 'asset:observed', assetKey: 'a', partition: '', timestamp: 1, observation: { dataVersion: String(process.pid), metadata: {} } }]); await log.close();`;
    const codes = await Promise.all(
      Array.from(
        { length: 6 },
        () =>
          new Promise<number | null>((resolve) => {
            const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
              stdio: 'ignore',
            });
            child.on('exit', resolve);
          }),
      ),
    );
    expect(codes).toEqual([0, 0, 0, 0, 0, 0]);
    const log = new SqliteEventLog(path);
    expect(await log.events()).toHaveLength(6);
    await log.close();
  });
});
