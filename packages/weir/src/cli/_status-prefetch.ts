/**
 * @module cli/_status-prefetch
 * `status` and `materialize` spend most of a cold start on the main thread loading the
 * project (Node runs the user's definitions every time). The status rows and the artefact
 * probe do not depend on the project: a second thread reads them from the embedded instance
 * the project will most likely use (`.weir` beside the project file) meanwhile, and they are
 * adopted only if the project does use it and no event was appended since they were read.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type ArtefactHealth, LocalArtefactStore } from '../artefacts/index.js';
import type { Instance } from '../execution/index.js';
import { SqliteEventLog, type StatusRow } from '../storage/index.js';
import { findProjectFile } from './_find-project.js';

export interface StatusPrefetch {
  /** The instance folder read. */
  dir: string;
  lastEventId: number;
  rows: StatusRow[];
  health: Array<[location: string, storedAt: number, ArtefactHealth]>;
}

/**
 * Below this size of event log, reading it takes a few milliseconds: starting a thread
 * would cost more than it saves.
 */
const WORTH_IT_BYTES = 4 * 1024 * 1024;

/**
 * Starts reading the status rows of the instance beside the project `cwd`/`explicit` names,
 * in the thread `worker` runs; undefined when there is none worth reading ahead (or it is
 * read-only: opening it read-only may copy it). `WEIR_STATUS_PREFETCH=always` reads ahead
 * whatever the log's size, `never` never.
 */
export function prefetchStatus(
  worker: URL,
  cwd: string,
  explicit: string | undefined,
): Promise<StatusPrefetch | undefined> | undefined {
  let dir: string;
  try {
    const setting = process.env.WEIR_STATUS_PREFETCH;
    if (setting === 'never') return undefined;
    dir = join(dirname(findProjectFile(cwd, explicit)), '.weir');
    const size = statSync(join(dir, 'events.db')).size;
    if (setting !== 'always' && size < WORTH_IT_BYTES) return undefined;
    accessSync(dir, constants.W_OK);
  } catch {
    return undefined; // No project or no log yet: the command says what is wrong.
  }
  return new Promise((resolve) => {
    const thread = new Worker(worker, { workerData: { dir } });
    // It must never keep the process alive, nor fail the command: reading it again is all.
    thread.unref();
    thread.once('message', (prefetch: StatusPrefetch) => resolve(prefetch));
    thread.once('error', () => resolve(undefined));
    thread.once('exit', () => resolve(undefined));
  });
}

/** Hands what was read ahead to `instance` when it is the instance read and nothing changed. */
export async function adoptStatus(
  instance: Instance & { dir?: string },
  prefetch: StatusPrefetch | undefined,
): Promise<void> {
  if (prefetch === undefined || instance.dir !== prefetch.dir) return;
  const { eventLog, artefacts } = instance;
  if (!(eventLog instanceof SqliteEventLog) || !(artefacts instanceof LocalArtefactStore)) return;
  if ((await eventLog.lastEventId()) !== prefetch.lastEventId) return;
  eventLog.adoptStatusRows(prefetch);
  artefacts.adoptHealth(prefetch.health);
}
