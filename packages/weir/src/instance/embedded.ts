/**
 * @module instance/embedded
 * The embedded preset: `<dir>/events.db` (SQLite), `<dir>/artefacts/` (local files) and
 * `<dir>/cache/`, steps run in this process.
 */
import { join, resolve } from 'node:path';
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
}

export interface EmbeddedInstance extends Instance {
  /** The instance directory. */
  readonly dir: string;
}

/** Opens (creating if needed) the embedded instance in `options.dir`. */
export function openInstance(options: InstanceOptions = {}): EmbeddedInstance {
  const dir = resolve(options.dir ?? '.weir');
  const eventLog = openEventLog(
    join(dir, 'events.db'),
    options.durability === undefined ? {} : { durability: options.durability },
  );
  let artefacts: LocalArtefactStore;
  try {
    artefacts = new LocalArtefactStore(join(dir, 'artefacts'));
  } catch (error) {
    void eventLog.close();
    throw error;
  }
  return { ...createInstance({ eventLog, artefacts, cacheDir: join(dir, 'cache') }), dir };
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
