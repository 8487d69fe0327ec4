/**
 * @module execution/executor
 * The seam between deciding which unit of work is ready (the scheduler) and running it: an
 * executor runs one unit of a run, recording its step events, and returns the outcome. The
 * in-process executor runs it here; the child-process executor in a pool of processes (from
 * a `UnitTicket`, see unit-ticket.ts); a queue executor on workers elsewhere.
 */
import type { StoredEvent } from '../storage/index.js';
import type { RunContext } from './_run-context.js';
import type { StepUnit } from './_units.js';

export type StepOutcome =
  | { status: 'materialized'; events: StoredEvent<'asset:materialized'>[] }
  /** Recorded, but a blocking check failed on some partition: those are not used downstream. */
  | {
      status: 'blocked';
      /** The unit's materializations that passed (a range step can partly pass). */
      usable: StoredEvent<'asset:materialized'>[];
      /** The partitions whose materialization failed a blocking check (`['']` when unpartitioned). */
      blocked: string[];
      reason: string;
      checks: string[];
    }
  | { status: 'failed'; error: Error }
  /** Stopped: the run was cancelled, or (with a reason) the step lost its lease to another run. */
  | { status: 'cancelled'; reason?: string };

export interface Executor {
  /** A short name for logs and errors, e.g. `in-process`. */
  readonly name: string;
  /**
   * Runs a claimed `unit` to its outcome. The scheduler has taken the unit's leases with its
   * first `step:started`; `execute` records the rest through `run.record`: logs, retries
   * (with their own `step:started`), and the materialization (with check results) or the
   * failure. It stops early with `cancelled` once `run.signal` aborts.
   */
  execute(unit: StepUnit, run: RunContext): Promise<StepOutcome>;
  /**
   * Called once run `runId` has ended (after its own resources are disposed of): releases
   * what the executor kept for the run elsewhere (the resources its units created in other
   * processes), and returns what failed doing so (reported as the run's warnings).
   */
  releaseRun?(runId: string): Promise<Error[]>;
  /** Stops what the executor started (processes, connections); the instance closes it. */
  close?(): Promise<void>;
}
