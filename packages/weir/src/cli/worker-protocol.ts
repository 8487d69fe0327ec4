/**
 * @module cli/worker-protocol
 * What the supervisor and the worker thread running a command tell each other.
 */

export interface WorkerData {
  argv: string[];
  stdoutTty: boolean;
  stderrTty: boolean;
  columns: number;
}

/** From the supervisor: cancel the command (as Ctrl-C does in one thread). */
export type SupervisorMessage = { type: 'abort' };

/** From the worker: runs and backfills it works on, so they can be closed if it is stopped. */
export type WorkerMessage =
  | { type: 'run-started'; runId: string; instanceDir: string }
  | { type: 'run-ended'; runId: string }
  | { type: 'backfill'; backfillId: string; instanceDir: string }
  | { type: 'exit'; code: number };
