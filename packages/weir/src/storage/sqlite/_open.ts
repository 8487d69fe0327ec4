/**
 * @module storage/sqlite/_open
 * Opening the SQLite file: read-write in WAL mode (creating and migrating it), or read-only
 * for an instance this process may not write. A WAL-mode file in a folder this process cannot
 * write cannot be opened read-only in place (SQLite needs its `-shm` file), so it is read from
 * a snapshot copy in the temp folder instead.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { EnvironmentError } from '../../errors.js';
import { sqliteCode } from './_faults.js';
import { checkSchema, migrate } from './_migrations.js';

export interface OpenOptions {
  durability?: 'normal' | 'full';
  readOnly?: boolean;
}

export interface OpenedDatabase {
  db: Database.Database;
  /** The temp folder of a read-only snapshot, removed on close. */
  snapshot?: string;
}

export function openDatabase(path: string, options: OpenOptions): OpenedDatabase {
  if (options.readOnly) return openReadOnly(path);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    // First, so that switching to WAL and migrating wait for another process instead of failing.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const deadline = Date.now() + BUSY_TIMEOUT_MS;
    whileBusy(() => db.pragma('journal_mode = WAL'), deadline);
    db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    // A checkpoint syncs the WAL and the database file: at SQLite's default (every 1,000
    // pages) that was most of the cost of a small commit (a one-row transaction: 37 µs,
    // 9.5 µs with 10,000). The WAL grows to about 40 MB between checkpoints instead of 4 MB.
    db.pragma('wal_autocheckpoint = 10000');
    whileBusy(() => migrate(db, path), deadline);
  } catch (error) {
    db.close();
    throw error;
  }
  return { db };
}

const BUSY_TIMEOUT_MS = 10_000;

/**
 * Runs `step` again while SQLite refuses it as busy, until `deadline`. While another process
 * writes a new file's first transaction (still in rollback mode), SQLite refuses a second
 * connection's switch to WAL at once instead of waiting (waiting could deadlock), so the
 * busy timeout alone does not cover two commands creating one instance at the same moment.
 */
function whileBusy<T>(step: () => T, deadline: number): T {
  for (;;) {
    try {
      return step();
    } catch (error) {
      if (sqliteCode(error) !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

function openReadOnly(path: string): OpenedDatabase {
  const opened = openFileReadOnly(path);
  try {
    checkSchema(opened.db, path);
  } catch (error) {
    closeOpened(opened);
    throw error;
  }
  return opened;
}

/** Closes what `openFileReadOnly` opened, removing its snapshot copy. */
export function closeOpened(opened: OpenedDatabase): void {
  if (opened.db.open) opened.db.close();
  if (opened.snapshot !== undefined) rmSync(opened.snapshot, { recursive: true, force: true });
}

/**
 * The file at `path` opened read-only without checking anything in it: in place, or from a
 * snapshot copy when SQLite cannot open it in place (a WAL-mode file in a read-only folder).
 */
export function openFileReadOnly(path: string): OpenedDatabase {
  if (!existsSync(path)) {
    throw new EnvironmentError(
      'E_READ_ONLY',
      `there is no event log at ${path}, and its folder is read-only here`,
      { hint: 'run weir once where the instance folder is writable, to create it' },
    );
  }
  try {
    return { db: readable(path) };
  } catch (error) {
    const code = sqliteCode(error);
    if (code !== 'SQLITE_READONLY_DIRECTORY' && code !== 'SQLITE_CANTOPEN') throw error;
  }
  const snapshot = mkdtempSync(join(tmpdir(), 'weir-readonly-'));
  try {
    const copy = join(snapshot, 'events.db');
    copyFileSync(path, copy);
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
    return { db: readable(copy), snapshot };
  } catch (error) {
    rmSync(snapshot, { recursive: true, force: true });
    throw error;
  }
}

function readable(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    // SQLite opens lazily: read the header now, so a folder it cannot use fails here.
    db.pragma('schema_version', { simple: true });
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
