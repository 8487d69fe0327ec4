/**
 * @module server/_errors
 * Every failure of a call becomes a JSON body `{ error: { code, message, hint? } }` with the
 * status that says whose it is: 4xx for the caller's (a bad selection is 400, an unknown run
 * 404, a read-only instance 403), 500 only for a real bug, whose stack goes to the server's
 * log and never to the caller.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { WeirError, type WeirErrorCode } from '../errors.js';

/** A refusal decided by the server itself (no token, wrong role, a bad path). */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const STATUS_OF: Partial<Record<WeirErrorCode, ContentfulStatusCode>> = {
  E_UNKNOWN_ASSET: 404,
  E_NOT_FOUND: 404,
  E_SELECTION_SYNTAX: 400,
  E_SELECTION_EMPTY: 400,
  E_USAGE: 400,
  E_INVALID_KEY: 400,
  E_CONFLICT: 409,
  E_READ_ONLY: 403,
};

export function errorBody(code: string, message: string, hint?: string) {
  return { error: { code, message, ...(hint === undefined ? {} : { hint }) } };
}

export function respondToError(error: unknown, c: Context, log: (line: string) => void): Response {
  if (error instanceof ApiError) {
    return c.json(errorBody(error.code, error.message, error.hint), error.status);
  }
  if (error instanceof HTTPException && error.status < 500) {
    // Hono's own refusals: a body that is not JSON, say.
    return c.json(
      errorBody('E_BAD_REQUEST', error.message || 'malformed request'),
      error.status as ContentfulStatusCode,
    );
  }
  if (error instanceof WeirError) {
    const status = STATUS_OF[error.code];
    if (status !== undefined)
      return c.json(errorBody(error.code, error.message, error.hint), status);
    if (error.code !== 'E_INVARIANT') {
      // The instance's own trouble (storage, artefacts): the caller can do nothing but report it.
      log(`${c.req.method} ${c.req.path}: ${error.code} ${error.message}`);
      return c.json(errorBody(error.code, error.message, error.hint), 503);
    }
  }
  log(`${c.req.method} ${c.req.path}: internal error: ${(error as Error)?.stack ?? String(error)}`);
  return c.json(
    errorBody(
      'E_INTERNAL',
      'internal error: this is a bug in Weir; the server log has the details',
    ),
    500,
  );
}
