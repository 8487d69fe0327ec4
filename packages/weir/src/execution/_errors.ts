/**
 * @module execution/_errors
 * Errors as the event log records them, and the error that stops a run from outside its
 * steps.
 */
import { WeirError } from '../errors.js';
import type { ErrorInfo } from '../storage/index.js';

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error) {
    const info: ErrorInfo = { name: error.name, message: error.message };
    // A wrapped user error keeps the stack that points into the user's code.
    const stack = error.cause instanceof Error ? error.cause.stack : error.stack;
    if (stack !== undefined) info.stack = stack;
    if (error instanceof WeirError) info.code = error.code;
    return info;
  }
  return { name: 'Error', message: String(error) };
}

/**
 * The run cannot go on, for a reason outside any step: the event log refused a write, or a
 * listener of the run's events threw. A step that meets it does not fail: the run stops.
 */
export class RunStopped extends Error {
  override readonly name = 'RunStopped';
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
  }
}
