/**
 * @module instance/embedded
 * The embedded preset: `<dir>/events.db` (SQLite), `<dir>/artefacts/` (local files) and
 * `<dir>/cache/`, steps run in this process.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LocalArtefactStore } from '../artefacts/index.js';
import { EnvironmentError, WeirError } from '../errors.js';
import { createInstance, type Instance } from '../execution/index.js';
import { SqliteEventLog, type SqliteEventLogOptions } from '../storage/index.js';

export interface InstanceOptions {
  /** The instance directory; `.weir` in the current directory by default. */
  dir?: string;
  /**
   * `normal` (default) survives a killed process; `full` also survives power loss, at the
   * cost of an fsync per transaction.
   */
  durability?: 'normal' | 'full';
  /**
   * Open for reading only. By default an instance is read-only exactly when this process
   * cannot write its folder, its event log or its artefact store.
   */
  readOnly?: boolean;
}

export interface EmbeddedInstance extends Instance {
  /** The instance directory. */
  readonly dir: string;
}

/** Opens (creating if needed) the embedded instance in `options.dir`. */
export function openInstance(options: InstanceOptions = {}): EmbeddedInstance {
  const dir = resolve(options.dir ?? '.weir');
  const readOnly =
    options.readOnly ?? !allWritable([dir, join(dir, 'events.db'), join(dir, 'artefacts')]);
  const eventLog = openEventLog(join(dir, 'events.db'), {
    readOnly,
    ...(options.durability === undefined ? {} : { durability: options.durability }),
  });
  let artefacts: LocalArtefactStore;
  try {
    artefacts = new LocalArtefactStore(join(dir, 'artefacts'), { readOnly });
  } catch (error) {
    void eventLog.close();
    throw error;
  }
  const parts = { eventLog, artefacts, cacheDir: join(dir, 'cache'), readOnly };
  return { ...createInstance(parts), dir };
}

/** Whether this process can write each path that exists (or create it, for one that does not). */
function allWritable(paths: readonly string[]): boolean {
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
function openEventLog(path: string, options: SqliteEventLogOptions): SqliteEventLog {
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
