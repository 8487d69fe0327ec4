/**
 * @module execution/instance
 * An instance assembled from parts: the event log, the artefact store and the executor a
 * deployment uses. Presets build on it (the embedded one, `openInstance`, in `instance/`).
 */
import type { ArtefactStore } from '../artefacts/index.js';
import { EnvironmentError } from '../errors.js';
import type { EventLog } from '../storage/index.js';
import type { Executor } from './executor.js';
import { recoverCrashedRuns } from './recovery.js';
import { inProcessExecutor } from './step.js';

export interface InstanceParts {
  eventLog: EventLog;
  artefacts: ArtefactStore;
  /** How steps run; in this process when omitted. */
  executor?: Executor;
  /**
   * A local folder where this machine may keep caches derived from the event log (planning
   * snapshots of partitioned assets); safe to delete. No cache when omitted.
   */
  cacheDir?: string;
  /**
   * This process may only read the instance (its files are not writable here): crash recovery
   * is skipped and writing commands refuse to start. False when omitted.
   */
  readOnly?: boolean;
}

/** Where a deployment keeps its event log and artefacts, and how it executes steps. */
export interface Instance {
  readonly eventLog: EventLog;
  readonly artefacts: ArtefactStore;
  readonly executor: Executor;
  readonly cacheDir: string | undefined;
  /** Whether this process may only read the instance (see `InstanceParts.readOnly`). */
  readonly readOnly: boolean;
  /**
   * Closes the runs whose process died (on this host) as crashed, and returns their ids. The
   * CLI does this once per command; a long-lived process when it starts. A read-only instance
   * recovers nothing (reads show such runs as crashed anyway).
   */
  recover(): Promise<string[]>;
  /** Closes the executor (its processes), the artefact store and the event log. */
  close(): Promise<void>;
}

export function createInstance(parts: InstanceParts): Instance {
  const { eventLog, artefacts } = parts;
  // Checked here, so a missing part is not reported later as the failure of an asset.
  const problem =
    typeof eventLog?.append !== 'function'
      ? 'eventLog must be an EventLog'
      : typeof artefacts?.putBytes !== 'function'
        ? 'artefacts must be an ArtefactStore'
        : parts.executor !== undefined && typeof parts.executor.execute !== 'function'
          ? 'executor must be an Executor (an object with execute(unit, run))'
          : undefined;
  if (problem !== undefined) throw new EnvironmentError('E_USAGE', `createInstance: ${problem}`);
  return {
    eventLog,
    artefacts,
    executor: parts.executor ?? inProcessExecutor,
    cacheDir: parts.cacheDir,
    readOnly: parts.readOnly ?? false,
    recover: async () => (parts.readOnly ? [] : recoverCrashedRuns(eventLog)),
    async close() {
      await parts.executor?.close?.();
      await artefacts.close();
      await eventLog.close();
    },
  };
}
