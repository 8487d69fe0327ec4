/**
 * @module locations/location-executor
 * Runs each unit where its asset's code is: a located asset in a pool of its location's own
 * processes (each loaded the location's project, with its own dependencies, and opened the
 * project's instance), the project's own assets with `local` (in this process by default).
 * A location's pool starts with its first unit.
 */
import { resolve } from 'node:path';
import {
  type ChildProcessExecutor,
  childProcessExecutor,
  type Executor,
  inProcessExecutor,
} from '../execution/index.js';

export interface LocationExecutorOptions {
  /** The project's folder: location folders are relative to it. */
  root: string;
  /** Code locations by name: their folders (the project's `locations`). */
  locations: Readonly<Record<string, string>>;
  /** The location of each located asset, by key (see `mergeLocations`). */
  locationOf: ReadonlyMap<string, string>;
  /** Processes per location at most (default: one per core). */
  processes?: number;
  /** The embedded instance's folder, or the configured instance (JSON), the processes open. */
  instanceDir?: string;
  instanceConfig?: unknown;
  /** Where the processes run (steps' relative paths); this process's directory when omitted. */
  cwd?: string;
  /** Runs the project's own assets (default: in this process). */
  local?: Executor;
}

export interface LocationExecutor extends Executor {
  releaseRun(runId: string): Promise<Error[]>;
  close(): Promise<void>;
}

export function locationExecutor(options: LocationExecutorOptions): LocationExecutor {
  const local = options.local ?? inProcessExecutor;
  const pools = new Map<string, ChildProcessExecutor>();
  const poolOf = (location: string): ChildProcessExecutor => {
    let pool = pools.get(location);
    if (pool === undefined) {
      const folder = options.locations[location];
      if (folder === undefined) throw new Error(`unknown code location '${location}'`);
      pool = childProcessExecutor({
        project: resolve(options.root, folder),
        ...(options.processes === undefined ? {} : { processes: options.processes }),
        ...(options.instanceDir === undefined ? {} : { instanceDir: options.instanceDir }),
        ...(options.instanceConfig === undefined ? {} : { instanceConfig: options.instanceConfig }),
        cwd: options.cwd ?? process.cwd(),
      });
      pools.set(location, pool);
    }
    return pool;
  };
  return {
    name: `locations (${Object.keys(options.locations).join(', ')})`,
    execute(unit, run) {
      const location = options.locationOf.get(unit.key);
      return location === undefined
        ? local.execute(unit, run)
        : poolOf(location).execute(unit, run);
    },
    async releaseRun(runId) {
      const errors: Error[] = [...((await local.releaseRun?.(runId)) ?? [])];
      for (const pool of pools.values()) errors.push(...(await pool.releaseRun(runId)));
      return errors;
    },
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.close()));
      pools.clear();
      await local.close?.();
    },
  };
}
