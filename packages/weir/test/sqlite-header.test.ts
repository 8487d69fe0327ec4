/**
 * A SQLite log whose header (its first 100 bytes) is damaged: recovery reads a copy with the
 * header written again, and the events still only in the WAL beside it are not lost.
 */
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { asset, defineProject, materialize, openInstance, recoverEventLog } from '../src/index.js';
import { copyWithHeader, headerIsIntact } from '../src/storage/sqlite/_header.js';
import { tempDir } from './helpers.js';

function damageHeader(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.from('X'.repeat(16)), 0, 16, 0);
  } finally {
    closeSync(fd);
  }
}

/** Copies a SQLite file and its WAL while a connection holds them (as a process killed mid-run leaves them). */
function copyOpen(from: string, toDir: string): string {
  mkdirSync(toDir, { recursive: true });
  const to = join(toDir, 'events.db');
  copyFileSync(from, to);
  if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${to}-wal`);
  return to;
}

describe('a damaged SQLite header', () => {
  it('is written again on a copy that also reads the WAL, where the newest pages are', () => {
    const dir = tempDir();
    const file = join(dir, 'a.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (x TEXT)');
    const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
    for (let i = 0; i < 100; i++) insert.run('a');
    db.pragma('wal_checkpoint(TRUNCATE)');
    // Only the table's own page changes: the first page (and header) stay in the main file.
    db.prepare("UPDATE t SET x = 'b' WHERE rowid = 50").run();
    const copy = copyOpen(file, join(dir, 'copy'));
    db.close();
    damageHeader(copy);
    expect(headerIsIntact(copy)).toBe(false);
    const scratch = join(dir, 'scratch.db');
    expect(copyWithHeader(copy, scratch)).toBe(true);
    const read = new Database(scratch, { readonly: true });
    try {
      expect(read.prepare('SELECT x FROM t WHERE rowid = 50').pluck().get()).toBe('b');
      expect(read.prepare('SELECT count(*) FROM t').pluck().get()).toBe(100);
    } finally {
      read.close();
    }
  });

  it('loses none of the events a run left in the WAL', async () => {
    const dir = join(tempDir(), '.weir');
    const project = defineProject({
      assets: ['a', 'b', 'c'].map((key) => asset({ key, materialize: () => key })),
    });
    const instance = openInstance({ dir });
    await materialize(project, { instance });
    const count = (await instance.eventLog.events()).length;
    const copyDir = join(tempDir(), '.weir');
    const copy = copyOpen(join(dir, 'events.db'), copyDir);
    await instance.close();
    expect(existsSync(`${copy}-wal`)).toBe(true);
    damageHeader(copy);
    const report = await recoverEventLog(copyDir);
    expect(report.recovered).toBe(count);
    expect(report.lost).toEqual([]);
    expect(readdirSync(copyDir).some((f) => f.startsWith('events.db.damaged-'))).toBe(true);
  });
});
