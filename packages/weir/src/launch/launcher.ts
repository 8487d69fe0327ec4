/**
 * @module launch/launcher
 * The `Launcher` interface: how a worker for a step (or for a pool of steps) gets a machine.
 * A launch request names what the worker is for (an asset and its tags, pool and slots, or
 * only worker tags), the command it runs, its environment and the compute it needs; a
 * launcher starts it somewhere (a child process here, a Kubernetes Job on a cluster) and
 * returns a handle to wait for its end or stop it.
 *
 * A launcher knows nothing of steps, leases or the queue: the worker it starts claims its
 * steps through the event log like any other process, so a worker that is lost (its machine
 * gone) loses nothing but time: its lease expires and another takes the step over.
 */

import type { ComputeResources } from './compute-resources.js';

/** What to launch: built and validated by `launchRequest()`. */
export interface LaunchRequest {
  /** Unique per launch (a UUID unless given): names it in handles, logs and job names. */
  readonly id: string;
  /** The asset whose step the worker runs; undefined for a worker serving a pool of steps by tags. */
  readonly asset: string | undefined;
  /** The asset partition, when the worker is for one step of a partitioned asset. */
  readonly partition: string | undefined;
  /** The run the step belongs to, when there is one. */
  readonly run: string | undefined;
  /** The code location whose definitions the worker loads (its own image on a cluster). */
  readonly location: string | undefined;
  /** The asset's tags as declared (empty for a worker by tags). */
  readonly tags: Readonly<Record<string, string>>;
  /** The tags a worker must offer to run it (`workerTagsOf(tags)`, or given): `['gpu']`. */
  readonly workerTags: readonly string[];
  /** The project pool whose slots the asset's steps take (`asset({ pool })`). */
  readonly pool: string | undefined;
  /** How many slots of `pool` one step takes (1 unless the asset says more). */
  readonly slots: number;
  /**
   * The command line, program first, as data: `['weir', 'worker', '--tags', 'gpu', '--once']`.
   * Never passed through a shell.
   */
  readonly command: readonly string[];
  /** Environment variables for the worker, besides the launcher's own. */
  readonly env: Readonly<Record<string, string>>;
  /** Compute the worker needs (from the asset's `cpu`, `memory` and `gpu` tags, or given). */
  readonly resources: ComputeResources;
  /** The worker is stopped (and ends `timed-out`) after this long; undefined: no limit. */
  readonly timeoutMs: number | undefined;
}

/** How a launched worker ended. */
export type LaunchOutcome = 'succeeded' | 'failed' | 'timed-out' | 'stopped';

export interface LaunchExit {
  readonly outcome: LaunchOutcome;
  /** The worker's exit code, when the launcher learns it. */
  readonly exitCode: number | undefined;
  /** The signal that ended it (`SIGKILL`), when the launcher learns it. */
  readonly signal: string | undefined;
  /** One line for people: `exited with code 1: <its last line on stderr>`, `DeadlineExceeded: …`. */
  readonly message: string;
}

/** A launched worker. */
export interface LaunchHandle {
  /** The launcher's name for it: `local:<launch id>:<pid>`, `<namespace>/<job name>`. */
  readonly id: string;
  readonly request: LaunchRequest;
  /**
   * Resolves when the worker has ended, however it ended. Rejects only when the launcher can
   * no longer learn the outcome (the API server stopped answering), with a `WeirError`
   * (`E_LAUNCH`) saying why.
   */
  wait(): Promise<LaunchExit>;
  /** Stops the worker (politely, then by force) and resolves with its exit; once ended, its exit. */
  stop(): Promise<LaunchExit>;
}

/**
 * Starts workers. `launch` resolves once the worker was accepted (the process started, the
 * Job created) and rejects with a `WeirError` (`E_LAUNCH`) naming what to fix when it was not.
 */
export interface Launcher {
  /** What kind of launcher it is, for logs: `local-process`, `kubernetes-job`. */
  readonly kind: string;
  launch(request: LaunchRequest): Promise<LaunchHandle>;
}
