/**
 * @module instance/doctor
 * Health of a SQLite event log (`weir doctor`): what `PRAGMA integrity_check`
 * finds, and recovery of every readable event into a new log that keeps the damaged file; and
 * what a server part's failure to open is (unreachable, authentication, missing, permission).
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { isAlive } from '../artefacts/index.js';
import { EnvironmentError, WeirError } from '../errors.js';
import {
  type BackendProblem,
  backendProblemOf,
  checkLogFile,
  type LogHealth,
  type RecoveryReport,
  recoverLogFile,
  runningRuns,
} from '../storage/index.js';

/** What `weir doctor` found wrong with a server part: its kind, said in a word or two, and why. */
export interface PartFailure {
  /** `failed` when the backend did not say what kind of trouble it is. */
  problem: BackendProblem | 'failed';
  /** `unreachable`, `authentication failed`, `database missing`, `permission denied`, … */
  label: string;
  message: string;
  hint?: string;
}

/**
 * A server part's failure to open, as `weir doctor` shows it: the kind the backend marked it
 * with (see `markBackendProblem`), its message and hint. Anything but a Weir error is a bug.
 */
export function partFailure(error: unknown, part: 'event log' | 'artefacts'): PartFailure {
  if (!(error instanceof WeirError)) throw error;
  const problem = backendProblemOf(error) ?? 'failed';
  const label =
    problem === 'authentication'
      ? 'authentication failed'
      : problem === 'missing'
        ? part === 'event log'
          ? 'database missing'
          : 'bucket missing'
        : problem === 'permission'
          ? 'permission denied'
          : problem;
  return {
    problem,
    label,
    message: error.message,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
  };
}

/** The embedded instance's event log file in `dir`. */
export function eventLogPath(dir: string): string {
  return join(resolve(dir), 'events.db');
}

/** Checks the event log of the instance in `dir` without changing anything. */
export function checkEventLog(dir: string): LogHealth {
  return checkLogAt(eventLogPath(dir));
}

/** Checks the SQLite event log at `path` without changing anything. */
export function checkLogAt(path: string): LogHealth {
  if (!existsSync(path)) {
    throw new EnvironmentError('E_STORAGE', `there is no event log at ${path} yet`, {
      hint: 'weir materialize creates it',
    });
  }
  return checkLogFile(path);
}

/**
 * Recovers the readable events of the instance's event log into a new log (same event ids,
 * indexes rebuilt from the events) and keeps the damaged file beside it. No other weir
 * process may use the instance meanwhile.
 */
export async function recoverEventLog(dir: string, now = new Date()): Promise<RecoveryReport> {
  return recoverLogAt(eventLogPath(dir), now);
}

/** `recoverEventLog` for the SQLite event log at `path`. */
export async function recoverLogAt(path: string, now = new Date()): Promise<RecoveryReport> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  // A run still going would go on writing into the file recovery moves aside: its events
  // would be lost from the new log.
  const host = hostname();
  const live = runningRuns(path).filter(
    (run) => run.host === host && run.pid !== process.pid && isAlive(run.pid, run.pidStart),
  );
  if (live.length > 0) {
    throw new EnvironmentError(
      'E_CONFLICT',
      `the event log ${path} is in use by ${live.map((run) => `run ${run.runId} (pid ${run.pid})`).join(', ')}: recovery moves the file aside, and what a running command records after that would be lost`,
      { hint: 'let it finish (or stop it), then run weir doctor --recover again' },
    );
  }
  return recoverLogFile(path, stamp);
}
