/**
 * @module storage/backend-problem
 * What kind of trouble a server backend (a PostgreSQL event log, an S3 artefact store) is in,
 * told by the backend on the error it throws, so `weir doctor` can say "unreachable",
 * "authentication failed", "missing" or "permission denied" instead of one word for all.
 *
 * The mark is a property under a registered symbol: a backend built against another copy of
 * weir marks its errors the same way, and `backendProblemOf` finds the mark on an error or on
 * any error in its `cause` chain (weir restates a foreign copy's errors with the original as
 * the cause).
 */

/**
 * - `unreachable`: no connection (refused, timed out, host unknown, no route).
 * - `authentication`: the server answered but did not accept who we are (no or wrong password,
 *   credentials not found or not valid).
 * - `missing`: the database or bucket does not exist.
 * - `permission`: we are known, but may not do what was asked.
 */
export type BackendProblem = 'unreachable' | 'authentication' | 'missing' | 'permission';

const MARK = Symbol.for('weir.backendProblem');
const PROBLEMS: ReadonlySet<string> = new Set<BackendProblem>([
  'unreachable',
  'authentication',
  'missing',
  'permission',
]);

/** Marks `error` with the kind of trouble its backend is in, and returns it. */
export function markBackendProblem<E extends Error>(error: E, problem: BackendProblem): E {
  Object.defineProperty(error, MARK, { value: problem, enumerable: false, configurable: true });
  return error;
}

/** The kind of backend trouble `error` (or an error it was caused by) was marked with. */
export function backendProblemOf(error: unknown): BackendProblem | undefined {
  for (let at = error, depth = 0; typeof at === 'object' && at !== null && depth < 8; depth++) {
    const mark = (at as { [MARK]?: unknown })[MARK];
    if (typeof mark === 'string' && PROBLEMS.has(mark)) return mark as BackendProblem;
    at = (at as { cause?: unknown }).cause;
  }
  return undefined;
}
