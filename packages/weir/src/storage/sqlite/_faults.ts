/**
 * @module storage/sqlite/_faults
 * SQLite's errors restated as what happened to the event log and what to do: a corrupt file
 * (with what `PRAGMA quick_check` finds), a full disk, a read-only file, a lock held too long.
 */
import { statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { EnvironmentError } from '../../errors.js';
import { headerIsIntact } from './_header.js';
import { DamagedRow } from './_rows.js';

const DOCTOR =
  "run 'weir doctor' to see what is damaged; 'weir doctor --recover' copies every readable event into a new log and keeps this file beside it";

/** The SQLite result code of an error (`SQLITE_CORRUPT`, `SQLITE_FULL` …), if it has one. */
export function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

export function isCorruption(error: unknown): boolean {
  const code = sqliteCode(error) ?? '';
  return code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
}

/**
 * An error from SQLite as an EnvironmentError naming the log's file, or the error itself when
 * it is not about the environment (a bug). `db`, when open, describes a corruption.
 */
export function sqliteFault(error: unknown, path: string, db?: Database.Database): unknown {
  if (error instanceof EnvironmentError) return error;
  if (error instanceof DamagedRow) {
    return new EnvironmentError(
      'E_STORAGE_CORRUPT',
      `the event log ${path} is corrupt: ${error.message}`,
      { cause: error, hint: DOCTOR },
    );
  }
  const code = sqliteCode(error);
  if (code === undefined) return error;
  const message = (error as Error).message;
  if (isCorruption(error)) {
    const found =
      code === 'SQLITE_NOTADB' && !headerIsIntact(path)
        ? [
            "its header (the file's first 100 bytes) is damaged, so nothing after it can be read until it is written again",
          ]
        : describeCorruption(db);
    return new EnvironmentError(
      'E_STORAGE_CORRUPT',
      `the event log ${path} is corrupt (${message})${found.length === 0 ? '' : `: ${found.join('; ')}`}`,
      { cause: error, hint: DOCTOR },
    );
  }
  if (code === 'SQLITE_FULL' || (code.startsWith('SQLITE_IOERR') && isOutOfSpace(path))) {
    return new EnvironmentError(
      'E_NO_SPACE',
      `no space left on device writing the event log (${path})`,
      {
        cause: error,
        hint: 'free some space: weir gc removes artefacts nothing needs, but opening the event log needs a little room itself (about 100 KB), so on a disk that is completely full remove something else first; or move the instance to a larger disk',
      },
    );
  }
  if (code.startsWith('SQLITE_READONLY')) return readOnlyLog(path, error);
  if (code === 'SQLITE_BUSY') {
    return new EnvironmentError(
      'E_STORAGE',
      `the event log ${path} stayed locked by another process for too long`,
      { cause: error, hint: 'wait for the other weir process to finish, then try again' },
    );
  }
  if (code === 'SQLITE_CANTOPEN') {
    const directory = logIsDirectory(path, error);
    if (directory !== undefined) return directory;
  }
  return new EnvironmentError(
    'E_STORAGE',
    `cannot use the event log ${path}: ${message} (${code})`,
    { cause: error },
  );
}

/** The error for a log path that holds a directory, not a file; undefined when it does not. */
export function logIsDirectory(path: string, cause?: unknown): EnvironmentError | undefined {
  try {
    if (!statSync(path).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  return new EnvironmentError(
    'E_STORAGE',
    `the event log ${path} is a directory, not a SQLite file`,
    {
      ...(cause === undefined ? {} : { cause }),
      hint: `if it holds your log, put the file back in its place; else move the directory aside (mv ${path} ${path}.aside) and a new, empty log is made`,
    },
  );
}

/**
 * Whether the disk holding `path` is (nearly) full. SQLite reports some writes that do not fit
 * as I/O errors, not SQLITE_FULL: creating the log's `-shm` file (SQLITE_IOERR_SHMSIZE), say.
 */
function isOutOfSpace(path: string): boolean {
  try {
    const { bavail, bsize } = statfsSync(dirname(path));
    return bavail * bsize < 1024 * 1024;
  } catch {
    return false;
  }
}

/** The first problems `PRAGMA quick_check` reports, or nothing if it cannot run. */
function describeCorruption(db: Database.Database | undefined): string[] {
  if (db === undefined || !db.open) return [];
  try {
    const rows = db.pragma('quick_check(3)', { simple: false }) as Array<{ quick_check: string }>;
    return rows.map((r) => r.quick_check).filter((line) => line !== 'ok');
  } catch {
    return [];
  }
}

/** An append to a log this process may only read. */
export function readOnlyLog(path: string, cause?: unknown): EnvironmentError {
  return new EnvironmentError('E_READ_ONLY', `the event log ${path} is read-only here`, {
    ...(cause === undefined ? {} : { cause }),
    hint: 'commands that record (materialize, backfill, check, gc, verify --repair, doctor --recover) need a writable instance; status, why, history, runs, logs, list and verify work read-only',
  });
}
