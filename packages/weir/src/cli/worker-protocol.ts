/**
 * @module cli/worker-protocol
 * What the supervisor and the worker thread running a command tell each other.
 */
import type { InstanceConfig } from '../instance/index.js';

export interface WorkerData {
  argv: string[];
  /** Where `weir` was started (the process has moved into the project folder). */
  cwd: string;
  stdoutTty: boolean;
  stderrTty: boolean;
  columns: number;
}

/** From the supervisor: cancel the command (as Ctrl-C does in one thread). */
export type SupervisorMessage = { type: 'abort' };

/**
 * From the worker: runs and backfills it works on, so they can be closed if it is stopped, and
 * the configured instance they are recorded in (plain data).
 */
export type WorkerMessage =
  | { type: 'run-started'; runId: string; instance: InstanceConfig }
  | { type: 'run-ended'; runId: string }
  | { type: 'backfill'; backfillId: string; instance: InstanceConfig }
  | { type: 'exit'; code: number };
