/**
 * @module instance/embedded
 * The embedded preset: `<dir>/events.db` (SQLite), `<dir>/artefacts/` (local files) and
 * `<dir>/cache/`, steps run in this process.
 */
import { join, resolve } from 'node:path';
import { LocalArtefactStore } from '../artefacts/index.js';
import { createInstance, type Instance } from '../execution/index.js';
import { allWritable, openSqliteLog } from './_local.js';

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
  const eventLog = openSqliteLog(join(dir, 'events.db'), {
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
