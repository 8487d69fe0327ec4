/**
 * @module server/_guards
 * Checks a route makes before it changes anything.
 */
import type { Context } from 'hono';
import type { AppEnv, ServerContext } from './_context.js';
import { ApiError } from './_errors.js';

/** Launching and cancelling: an operator's token, and an instance this server may write. */
export function requireOperator(c: Context<AppEnv>, context: ServerContext): void {
  if (c.get('role') !== 'operator') {
    throw new ApiError(403, 'E_FORBIDDEN', 'this needs an operator token; yours is a viewer token');
  }
  if (!context.canLaunch) {
    throw new ApiError(
      403,
      'E_READ_ONLY',
      'the instance is read-only for this server: it cannot launch runs',
      'serve it from a process that may write the instance',
    );
  }
}
