/**
 * @module execution/child-process-executor
 * The child-process executor: each unit runs in a pool of long-lived child processes (as
 * many as the machine has cores by default), each of which loaded the project and opened
 * the instance once. A unit goes to a child as a `UnitTicket`; the child records its events
 * as the in-process executor would, under the lease the run took. A step whose process
 * crashes (a segfault, running out of memory, `process.exit()`) fails alone, with the
 * reason; the pool starts another process, and the run goes on.
 */
import { availableParallelism } from 'node:os';
import { EnvironmentError, UserCodeError } from '../errors.js';
import { weirPackagePath } from '../package-path.js';
import { RunStopped } from './_errors.js';
import { ProcessPool } from './_process-pool.js';
import type { Executor } from './executor.js';
import { outcomeAfterLoss } from './unit-loss.js';
import { errorFrom, stepOutcomeOf, unitTicket } from './unit-ticket.js';

export interface ChildProcessExecutorOptions {
  /**
   * The project file the processes load, or a folder to find it in (as `weir --project`). It
   * must be the project the runs are planned with, loaded the same way (as the `weir`
   * command loads it): a unit whose code differs in the process fails, and says so.
   */
  project: string;
  /** How many processes at most; as many as the machine has cores when omitted. */
  processes?: number;
  /** Each process's V8 heap limit in MB (`--max-old-space-size`); Node's default when omitted. */
  maxOldSpaceMb?: number;
  /** The folder of the embedded instance the processes open; the project's when omitted. */
  instanceDir?: string;
  /** The configured instance the processes open, as their entry reads it (see `ChildSetup`). */
  instanceConfig?: unknown;
  /** Where the processes run (steps' relative paths); this process's directory when omitted. */
  cwd?: string;
}

export interface ChildProcessExecutor extends Executor {
  readonly processes: number;
  releaseRun(runId: string): Promise<Error[]>;
  /** Stops the processes (each closes its instance; one that does not within 2 s is killed). */
  close(): Promise<void>;
}

/** An executor that runs each unit in a pool of child processes (see the module comment). */
export function childProcessExecutor(options: ChildProcessExecutorOptions): ChildProcessExecutor {
  const processes = options.processes ?? availableParallelism();
  if (!Number.isInteger(processes) || processes < 1) {
    throw new EnvironmentError(
      'E_USAGE',
      `childProcessExecutor: processes must be a whole number ≥ 1, got ${processes}`,
    );
  }
  const { maxOldSpaceMb } = options;
  if (maxOldSpaceMb !== undefined && (!Number.isInteger(maxOldSpaceMb) || maxOldSpaceMb < 16)) {
    throw new EnvironmentError(
      'E_USAGE',
      `childProcessExecutor: maxOldSpaceMb must be a whole number of MB ≥ 16, got ${maxOldSpaceMb}`,
    );
  }
  if (typeof options.project !== 'string' || options.project === '') {
    throw new EnvironmentError(
      'E_USAGE',
      'childProcessExecutor: project must name the project file (or its folder)',
    );
  }
  let pool: ProcessPool | undefined;
  const poolOf = () => {
    pool ??= new ProcessPool({
      entry: childEntry(),
      setup: {
        project: options.project,
        cwd: options.cwd ?? process.cwd(),
        ...(options.instanceDir === undefined ? {} : { instanceDir: options.instanceDir }),
        ...(options.instanceConfig === undefined ? {} : { instanceConfig: options.instanceConfig }),
      },
      processes,
      ...(maxOldSpaceMb === undefined ? {} : { maxOldSpaceMb }),
    });
    return pool;
  };
  return {
    name: `processes:${processes}`,
    processes,
    async execute(unit, run) {
      const ticket = await unitTicket(run, unit);
      let attempt = ticket.attempt;
      let listenerError: { error: unknown } | undefined;
      const controller = new AbortController();
      const abort = () => controller.abort();
      run.signal.addEventListener('abort', abort, { once: true });
      if (run.signal.aborted) abort();
      let end: Awaited<ReturnType<ProcessPool['run']>>;
      try {
        end = await poolOf().run(ticket, {
          signal: controller.signal,
          onEvent(event) {
            if (listenerError !== undefined) return;
            if (event.type === 'step:started' && event.assetKey === unit.key) {
              attempt = Math.max(attempt, event.attempt);
            }
            try {
              run.emit([event]);
            } catch (error) {
              // A listener of the run threw: the run stops, as when a step records in-process.
              listenerError = { error };
              abort();
            }
          },
          onLog: (key, entry) => run.onLog(key, entry),
        });
      } finally {
        run.signal.removeEventListener('abort', abort);
      }
      if (listenerError !== undefined) throw listenerError.error;
      switch (end.kind) {
        case 'cancelled':
          return { status: 'cancelled' };
        case 'died': {
          // Stopped with the run (Ctrl-C reaches the whole process group): cancelled, not failed.
          if (run.signal.aborted) return { status: 'cancelled' };
          const error = new UserCodeError(
            'E_USER_CODE',
            `the process running ${unit.label} ${end.reason}`,
            { hint: 'a crashed step is not retried; the run goes on in another process' },
          );
          // Its stack would be this module's: the step's own output (its stderr) says more.
          delete error.stack;
          return outcomeAfterLoss(run, unit, error, attempt);
        }
        case 'start-failed':
          return outcomeAfterLoss(
            run,
            unit,
            new EnvironmentError(
              'E_PROJECT_LOAD',
              `no process could be started to run ${unit.label}: ${end.error.message}`,
            ),
            attempt,
          );
        case 'outcome': {
          const { outcome } = end;
          if (outcome.status === 'stopped') {
            throw new RunStopped(outcome.error.message, { cause: errorFrom(outcome.error) });
          }
          if (outcome.status === 'unrun') {
            return outcomeAfterLoss(run, unit, errorFrom(outcome.error), attempt);
          }
          return stepOutcomeOf(outcome);
        }
      }
    },
    async releaseRun(runId) {
      return pool === undefined ? [] : (await pool.release(runId)).map(errorFrom);
    },
    async close() {
      await pool?.close();
      pool = undefined;
    },
  };
}

/** The child's script: `dist/step-process.js` of the weir package this module belongs to. */
function childEntry(): string {
  return weirPackagePath('dist', 'step-process.js');
}
