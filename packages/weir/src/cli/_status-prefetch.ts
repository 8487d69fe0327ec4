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
 * How long the command waits for the thread once it needs the rows: about what reading them
 * itself costs at the sizes the thread starts for, so waiting never costs more than not.
 */
const MAX_WAIT_MS = 40;

/** A read ahead under way. */
export interface StatusReadAhead {
  /** What it read, if it is done by now or within MAX_WAIT_MS; the thread is stopped otherwise. */
  take(): Promise<StatusPrefetch | undefined>;
}

/**
 * Starts reading the status rows of the instance beside the project `cwd`/`explicit` names,
 * in the thread `worker` runs; undefined when there is none worth reading ahead (or it is
 * read-only: opening it read-only may copy it). `WEIR_STATUS_PREFETCH=always` reads ahead
 * whatever the sizes and waits for what it reads, `never` never reads ahead.
 */
export function prefetchStatus(
  worker: URL,
  cwd: string,
  explicit: string | undefined,
): StatusReadAhead | undefined {
  const setting = process.env.WEIR_STATUS_PREFETCH;
  let dir: string;
  try {
    if (setting === 'never') return undefined;
    const projectFile = findProjectFile(cwd, explicit);
    dir = join(dirname(projectFile), '.weir');
    statSync(join(dir, 'events.db'));
    // Measured on two cores (bench/cold-path, 10,000 assets): the thread slows the main
    // thread's load more than it saves (status 450 ms with it, 428 without), so it is off
    // unless asked for.
    if (setting !== 'always') return undefined;
    accessSync(dir, constants.W_OK);
  } catch {
    return undefined; // No project or no log yet: the command says what is wrong.
  }
  const thread = new Worker(worker, { workerData: { dir } });
  // It must never keep the process alive, nor fail the command: reading it again is all.
  thread.unref();
  const read = new Promise<StatusPrefetch | undefined>((resolve) => {
    thread.once('message', (prefetch: StatusPrefetch) => resolve(prefetch));
    thread.once('error', () => resolve(undefined));
    thread.once('exit', () => resolve(undefined));
  });
  return {
    take: async () => {
      if (setting === 'always') return read;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<undefined>((resolve) => {
        timer = setTimeout(resolve, MAX_WAIT_MS, undefined);
      });
      const result = await Promise.race([read, late]);
      clearTimeout(timer);
      if (result === undefined) void thread.terminate();
      return result;
    },
  };
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
