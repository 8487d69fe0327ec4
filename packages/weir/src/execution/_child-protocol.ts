/**
 * @module execution/_child-protocol
 * What the child-process executor and its child processes tell each other over the IPC
 * channel (JSON): units to run as tickets, and back their events, logs and outcomes.
 */
import type { ErrorInfo, StoredEvent } from '../storage/index.js';
import type { LogEntry } from './_step-logger.js';
import type { TicketOutcome, UnitTicket } from './unit-ticket.js';

/** The environment variable a child's setup comes in (JSON). */
export const CHILD_SETUP_VARIABLE = 'WEIR_CHILD_SETUP';

/** What a child is started with (in `CHILD_SETUP_VARIABLE`). */
export interface ChildSetup {
  /** The project file, or a folder to look for it in (as `--project`). */
  project: string;
  /** Where the parent runs: the child runs there too (steps' relative paths). */
  cwd: string;
  /** The embedded instance's folder; the project's when omitted. */
  instanceDir?: string;
  /**
   * The configured instance to open, resolved by the parent (JSON its entry reads): a code
   * location's process opens its project's instance, not one of the location's own.
   */
  instanceConfig?: unknown;
}

export type ToChild =
  | { type: 'run'; job: number; ticket: UnitTicket }
  | { type: 'cancel'; job: number }
  | { type: 'release'; runId: string }
  | { type: 'close' };

export type FromChild =
  /** The project is loaded and the instance open: it takes units. */
  | { type: 'ready' }
  | { type: 'start-failed'; error: ErrorInfo }
  | { type: 'events'; job: number; events: StoredEvent[] }
  | { type: 'log'; job: number; assetKey: string; entry: LogEntry }
  | { type: 'done'; job: number; outcome: TicketOutcome }
  | { type: 'released'; runId: string; errors: ErrorInfo[] };
