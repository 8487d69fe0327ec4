/**
 * @module execution/_errors
 * Errors as the event log records them.
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
