import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EnvironmentError, SqliteEventLog } from '../src/index.js';
import { runEventLogConformance } from '../src/testing.js';
import { tempDir } from './helpers.js';

runEventLogConformance({
  name: 'SQLite',
  create: async () => {
    const path = join(tempDir(), 'events.db');
    return { log: new SqliteEventLog(path), reopen: async () => new SqliteEventLog(path) };
  },
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
    expect((error as EnvironmentError).hint).toContain('move it aside');
  });

  it('applies migrations once: reopening is harmless', async () => {
    const path = join(tempDir(), 'events.db');
    await new SqliteEventLog(path).close();
    await new SqliteEventLog(path).close();
    const db = new Database(path);
    expect(db.prepare('SELECT version FROM weir_schema').all()).toEqual([{ version: 1 }]);
    db.close();
  });
});
