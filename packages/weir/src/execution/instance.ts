import { join, resolve } from 'node:path';
import { type ArtefactStore, LocalArtefactStore } from '../artefacts/index.js';
import { type EventLog, SqliteEventLog, type SqliteEventLogOptions } from '../storage/index.js';

/** Where a deployment keeps its event log and artefacts. */
export interface Instance {
  readonly dir: string;
  readonly eventLog: EventLog;
  readonly artefacts: ArtefactStore;
  close(): Promise<void>;
}

export interface InstanceOptions extends SqliteEventLogOptions {
  /** The instance directory; `.weir` in the current directory by default. */
  dir?: string;
}

/** Opens (creating if needed) the embedded instance: `<dir>/events.db` and `<dir>/artefacts/`. */
export function openInstance(options: InstanceOptions = {}): Instance {
  const dir = resolve(options.dir ?? '.weir');
  const eventLog = new SqliteEventLog(join(dir, 'events.db'), options);
  const artefacts = new LocalArtefactStore(join(dir, 'artefacts'));
  return {
    dir,
    eventLog,
    artefacts,
    async close() {
      await artefacts.close();
      await eventLog.close();
    },
  };
}
