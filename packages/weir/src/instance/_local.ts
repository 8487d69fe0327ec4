/**
 * @module instance/_local
 * The parts of an instance on this machine's disk: the SQLite event log (with a message that
 * says what to do when better-sqlite3's native module was never built), and whether this
 * process may write where they live.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { EnvironmentError, WeirError } from '../errors.js';
import { SqliteEventLog, type SqliteEventLogOptions } from '../storage/index.js';

/** Whether this process can write each path that exists (or create it, for one that does not). */
export function allWritable(paths: readonly string[]): boolean {
  return paths.every((path) => {
    let target = path;
    while (!existsSync(target) && dirname(target) !== target) target = dirname(target);
    try {
      accessSync(target, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * The SQLite event log, or an error that says what to do when better-sqlite3's native module
 * was never built (npm 11 skips the install scripts of packages a project denied).
 */
export function openSqliteLog(path: string, options: SqliteEventLogOptions): SqliteEventLog {
  try {
    return new SqliteEventLog(path, options);
  } catch (error) {
    if (!(error instanceof WeirError) || !/Could not locate the bindings file/.test(error.message))
      throw error;
    throw new EnvironmentError(
      'E_STORAGE',
      `cannot open the event log at ${path}: better-sqlite3 (SQLite for Node) has no native module; its install script did not run`,
      {
        cause: error,
        hint: 'allow it in package.json ("allowScripts": { "better-sqlite3": true }), then: npm rebuild better-sqlite3',
      },
    );
  }
}
